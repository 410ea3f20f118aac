package net.weft.coordinator.api;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import net.weft.topology.map.CanonicalJson;

/**
 * The API's JSON: topology's canonical form (keys in base64 as wg prints them, prefixes and endpoints as
 * text, sorted properties, no nulls), instants as ISO-8601 text, and strict reading: unknown fields,
 * missing primitives, scalars of the wrong type and trailing tokens are refused.
 */
public class JsonMapping {

    @Produces
    @Singleton
    ObjectMapper objectMapper() {
        return ((JsonMapper) CanonicalJson.mapper()).rebuild()
                .addModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .build();
    }
}
