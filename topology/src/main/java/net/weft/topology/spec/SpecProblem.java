package net.weft.topology.spec;

/**
 * One thing wrong with a network spec.
 *
 * @param file    the file name the spec was read from
 * @param line    1-based line of the offending field or value
 * @param subject the document ({@code OnRamp/aws-prod}, or {@code document 2} before its kind and name are known)
 * @param path    the field path inside the document ({@code spec.gateways[1].node}); empty for the whole document
 * @param message what is wrong
 */
public record SpecProblem(String file, int line, String subject, String path, String message) {

    /** {@code file:line: subject: path: message}, the form the fixtures expect. */
    @Override
    public String toString() {
        return file + ":" + line + ": " + subject + (path.isEmpty() ? "" : ": " + path) + ": " + message;
    }
}
