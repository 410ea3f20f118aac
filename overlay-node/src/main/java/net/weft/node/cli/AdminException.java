package net.weft.node.cli;

/**
 * A failed admin command, with the one line the user sees after {@code weft: COMMAND: }. Never carries a
 * credential or a token secret.
 */
final class AdminException extends Exception {

    AdminException(String message) {
        super(message, null, false, false);
    }
}
