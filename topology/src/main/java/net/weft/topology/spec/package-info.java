/**
 * The network spec: Kubernetes-style YAML documents ({@code apiVersion: weft.dev/v1alpha1},
 * {@code kind}, {@code metadata.name}, {@code spec}), several per file, kinds {@code Network},
 * {@code Node}, {@code OnRamp} and {@code BackboneLink}. {@link net.weft.topology.spec.SpecParser}
 * reads them strictly (an unknown field is an error) and validates the whole set, reporting every
 * problem at once as a {@link net.weft.topology.spec.SpecProblem} with file, line and field path.
 *
 * <p>Binding is done by hand over a located tree ({@link net.weft.topology.spec.YamlTree}) rather
 * than with data binding, because data binding stops at the first error and the spec must report
 * them all.
 */
package net.weft.topology.spec;
