package dev.dagflow.http.engine.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks a webhook callback before anything is done with it: its timestamp within the replay
 * window of the clock, its HMAC-SHA256 signature over {@code timestamp + "." + body} compared in
 * constant time, and its event id not seen before. An id is remembered only once the callback
 * proved genuine, so forged callbacks cannot fill the cache; it is forgotten once its timestamp
 * has left the window, after which the window check refuses a replay on its own. Thread-safe.
 */
public final class WebhookVerifier {
  private static final String PREFIX = "sha256=";
  private static final int MAX_ID_LENGTH = 200;

  private final SecretKeySpec key;
  private final Clock clock;
  private final long windowSeconds;
  private final int capacity;
  /** Event ids with their timestamps, oldest first; guarded by this. */
  private final Map<String, Long> seen = new LinkedHashMap<>();

  public WebhookVerifier(byte[] secret, Clock clock, Duration window, int capacity) {
    this.key = new SecretKeySpec(secret, "HmacSHA256");
    this.clock = clock;
    this.windowSeconds = window.toSeconds();
    this.capacity = capacity;
  }

  /** Why a callback is refused, with the status to answer. */
  public record Refusal(int status, String reason) {}

  /** Empty if the callback is genuine and new (its id is remembered now); else why not. */
  public Optional<Refusal> verify(String timestamp, String signature, String eventId,
      byte[] body) {
    if (timestamp == null || signature == null || eventId == null) {
      return refuse(401, "a header of the signature is missing");
    }
    long ts;
    try {
      ts = Long.parseLong(timestamp.trim());
    } catch (NumberFormatException e) {
      return refuse(401, "the timestamp is not epoch seconds");
    }
    long now = clock.instant().getEpochSecond();
    if (Math.abs(now - ts) > windowSeconds) {
      return refuse(401, "the timestamp is outside the replay window");
    }
    byte[] given = hex(signature.trim());
    if (given == null) {
      return refuse(401, "the signature is not sha256=<64 hex digits>");
    }
    if (!MessageDigest.isEqual(mac(timestamp.trim(), body), given)) {
      return refuse(401, "the signature does not match");
    }
    if (eventId.isBlank() || eventId.length() > MAX_ID_LENGTH) {
      return refuse(401, "the event id is blank or too long");
    }
    synchronized (this) {
      for (Iterator<Long> it = seen.values().iterator(); it.hasNext(); ) {
        if (now - it.next() <= windowSeconds) {
          break;
        }
        it.remove();
      }
      if (seen.containsKey(eventId)) {
        return refuse(401, "the event id was seen before (a replay)");
      }
      if (seen.size() >= capacity) {
        return refuse(503, "too many callbacks within the replay window to remember");
      }
      seen.put(eventId, ts);
    }
    return Optional.empty();
  }

  private byte[] mac(String timestamp, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      mac.update(timestamp.getBytes(StandardCharsets.US_ASCII));
      mac.update((byte) '.');
      return mac.doFinal(body);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  private static byte[] hex(String signature) {
    if (!signature.startsWith(PREFIX) || signature.length() != PREFIX.length() + 64) {
      return null;
    }
    byte[] out = new byte[32];
    for (int i = 0; i < 32; i++) {
      int hi = Character.digit(signature.charAt(PREFIX.length() + 2 * i), 16);
      int lo = Character.digit(signature.charAt(PREFIX.length() + 2 * i + 1), 16);
      if (hi < 0 || lo < 0) {
        return null;
      }
      out[i] = (byte) (hi << 4 | lo);
    }
    return out;
  }

  private static Optional<Refusal> refuse(int status, String reason) {
    return Optional.of(new Refusal(status, reason));
  }
}
