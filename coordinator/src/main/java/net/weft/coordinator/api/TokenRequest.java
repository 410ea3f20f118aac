package net.weft.coordinator.api;

import java.util.List;

/**
 * {@code POST /api/v1/tokens}. Every field is optional.
 *
 * @param reusable  more than one join (default false: single use)
 * @param uses      joins allowed (default 1, or unlimited for a reusable token)
 * @param expires   lifetime: {@code 1h}, {@code 30m}, or ISO-8601 {@code PT1H} (default: never expires)
 * @param tags      tags of the nodes joining with it
 * @param ephemeral nodes joining with it are removed once offline
 */
public record TokenRequest(Boolean reusable, Integer uses, String expires, List<String> tags, Boolean ephemeral) {
}
