package net.weft.coordinator.api;

import java.util.List;

/**
 * An RFC 7807 problem detail ({@code application/problem+json}).
 *
 * @param type     a URI naming the kind of problem
 * @param title    the kind, for people
 * @param status   the HTTP status
 * @param detail   this occurrence, for people
 * @param problems individual problems (each line of an invalid spec), or null
 */
public record Problem(String type, String title, int status, String detail, List<String> problems) {
}
