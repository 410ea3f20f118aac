package net.weft.topology.spec;

import java.util.List;
import java.util.stream.Collectors;

/** A network spec that failed to parse or validate, with every problem found. */
public final class SpecException extends Exception {

    private final List<SpecProblem> problems;

    public SpecException(List<SpecProblem> problems) {
        super(problems.size() + " problem(s) in the network spec:\n"
                + problems.stream().map(SpecProblem::toString).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    /** The problems in file order, then line order. */
    public List<SpecProblem> problems() {
        return problems;
    }
}
