package net.weft.node.agent;

/** The agent cannot do what it was asked; the message is one line for the user. */
public final class AgentException extends Exception {

    public AgentException(String message) {
        super(message);
    }
}
