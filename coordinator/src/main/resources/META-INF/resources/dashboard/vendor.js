// The third-party code the dashboard uses, from the WebJars in the coordinator's jar (no network at run time).
// The version in this path is the coordinator pom's cytoscape.version; a test checks that it is served.
export { default as cytoscape } from "/webjars/cytoscape/3.33.1/dist/cytoscape.esm.min.mjs";
