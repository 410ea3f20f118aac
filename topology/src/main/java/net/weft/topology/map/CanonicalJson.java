package net.weft.topology.map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Function;
import net.weft.crypto.key.PublicKey;
import net.weft.topology.model.Endpoint;
import net.weft.topology.model.IpPrefix;

/**
 * The one JSON form of maps, deltas and wire messages: properties sorted by name, no whitespace,
 * absent values left out, keys in base64 as {@code wg} prints them, prefixes and endpoints as text.
 * Lists inside the values are already sorted, so equal values give identical bytes. Reading ignores
 * unknown properties, so an older node can read a newer coordinator's messages.
 */
public final class CanonicalJson {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .disable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .addModule(new SimpleModule("weft")
                    .addSerializer(PublicKey.class, text(PublicKey::toBase64))
                    .addDeserializer(PublicKey.class, parse(PublicKey::fromBase64))
                    .addSerializer(IpPrefix.class, text(IpPrefix::toString))
                    .addDeserializer(IpPrefix.class, parse(IpPrefix::parse))
                    .addSerializer(Endpoint.class, text(Endpoint::toString))
                    .addDeserializer(Endpoint.class, parse(Endpoint::parse)))
            .build();

    private CanonicalJson() {
    }

    /** The shared mapper (thread-safe once built). */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** The canonical bytes of {@code value}. */
    public static byte[] toBytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads a value of {@code type}.
     *
     * @throws IOException when the bytes are not valid JSON for {@code type}
     */
    public static <T> T fromBytes(byte[] json, Class<T> type) throws IOException {
        return MAPPER.readValue(json, type);
    }

    private static <T> JsonSerializer<T> text(Function<T, String> f) {
        return new JsonSerializer<>() {
            @Override
            public void serialize(T value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
                gen.writeString(f.apply(value));
            }
        };
    }

    private static <T> JsonDeserializer<T> parse(Function<String, T> f) {
        return new JsonDeserializer<>() {
            @Override
            public T deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
                String s = p.getValueAsString();
                try {
                    return f.apply(s);
                } catch (IllegalArgumentException e) {
                    throw com.fasterxml.jackson.databind.exc.InvalidFormatException.from(p, e.getMessage(), s, Object.class);
                }
            }
        };
    }
}
