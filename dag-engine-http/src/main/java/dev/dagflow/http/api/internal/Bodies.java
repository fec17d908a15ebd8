package dev.dagflow.http.api.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.json.JsonLimits;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Request bodies in, response bodies out: the size limit, strict UTF-8, JSON under the {@link
 * JsonLimits} constraints with duplicate keys and trailing text refused, and decimals kept
 * exact so that a value no double holds is refused by name rather than turned into infinity.
 * Stateless and thread-safe.
 */
public final class Bodies {
  /** The mapper of every body, in and out. */
  public static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
          .streamReadConstraints(JsonLimits.readConstraints())
          .streamWriteConstraints(JsonLimits.writeConstraints())
          .build())
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .build();

  private Bodies() {}

  /**
   * Reads at most {@code max} bytes of body.
   *
   * @throws ApiException 413 if the body (declared or read) is longer
   */
  static byte[] read(ApiRequest request, int max) {
    if (request.contentLength() > max) {
      throw tooLarge(max);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] chunk = new byte[8192];
    try (InputStream in = request.body()) {
      int n;
      while ((n = in.read(chunk)) > 0) {
        if (out.size() + n > max) {
          throw tooLarge(max);
        }
        out.write(chunk, 0, n);
      }
    } catch (IOException e) {
      throw ApiException.of(400, "BAD_REQUEST", "body", "could not be read: " + e.getMessage());
    }
    return out.toByteArray();
  }

  private static ApiException tooLarge(int max) {
    return ApiException.of(413, "PAYLOAD_TOO_LARGE", "body",
        "is larger than the limit of " + max + " bytes");
  }

  /**
   * The JSON document of {@code bytes}.
   *
   * @throws ApiException 400 naming {@code body} for an empty body, bytes that are not UTF-8
   *     (with the offset of the first bad byte), malformed JSON (with line and column) or JSON
   *     beyond a limit
   */
  static JsonNode json(byte[] bytes) {
    String text = utf8(bytes);
    if (text.isBlank()) {
      throw ApiException.of(400, "MISSING_BODY", "body", "a JSON body is required");
    }
    try {
      return MAPPER.readTree(text);
    } catch (StreamConstraintsException e) {
      throw ApiException.of(400, "INVALID_JSON", "body", "breaks a JSON limit: "
          + e.getOriginalMessage());
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where = at == null ? "" : " at line " + at.getLineNr() + ", column "
          + at.getColumnNr();
      throw ApiException.of(400, "INVALID_JSON", "body", "is not valid JSON" + where + ": "
          + e.getOriginalMessage());
    }
  }

  /** The JSON object of {@code bytes}. @throws ApiException 400 as {@link #json}, or no object */
  static ObjectNode object(byte[] bytes) {
    JsonNode node = json(bytes);
    if (!node.isObject()) {
      throw ApiException.badField("body", "must be a JSON object, got "
          + node.getNodeType().name().toLowerCase(Locale.ROOT));
    }
    return (ObjectNode) node;
  }

  private static String utf8(byte[] bytes) {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CoderResult result = decoder.decode(in, out, true);
    if (result.isError()) {
      throw ApiException.of(400, "INVALID_UTF8", "body",
          "is not valid UTF-8: bad byte at offset " + in.position());
    }
    try {
      result = decoder.flush(out);
      if (result.isError()) {
        result.throwException();
      }
    } catch (CharacterCodingException e) {
      throw ApiException.of(400, "INVALID_UTF8", "body", "is not valid UTF-8 at its end");
    }
    out.flip();
    return out.toString();
  }

  /** {@code tree} as compact JSON bytes. */
  static byte[] write(JsonNode tree) {
    try {
      return MAPPER.writeValueAsBytes(tree);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a response could not be written", e);
    }
  }
}
