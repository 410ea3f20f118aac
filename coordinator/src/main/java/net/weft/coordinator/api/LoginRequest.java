package net.weft.coordinator.api;

/**
 * {@code POST /api/v1/session}: the dashboard's login.
 *
 * @param credential the admin credential
 */
public record LoginRequest(String credential) {

    @Override
    public String toString() {
        return "LoginRequest[<redacted>]";
    }
}
