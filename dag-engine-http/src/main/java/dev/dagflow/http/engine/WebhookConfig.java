package dev.dagflow.http.engine;

import dev.dagflow.http.engine.internal.Checks;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

/**
 * How the remote engine's status callbacks are verified, for {@link
 * HttpEngineExecutor.Builder#webhooks}: the shared secret of their HMAC-SHA256 signature, the
 * headers that carry it, the replay window and the cache of event ids seen, and the slower poll
 * interval that goes on as a safety net while callbacks arrive. A callback is signed as {@code
 * hex(HMAC-SHA256(secret, timestamp + "." + body))} in the signature header as {@code
 * sha256=<hex>}, with the timestamp (epoch seconds) in its own header and a unique event id in
 * a third. Immutable and thread-safe; built with {@link #builder(byte[])}.
 */
public final class WebhookConfig {
  private final byte[] secret;
  private final String timestampHeader;
  private final String signatureHeader;
  private final String eventIdHeader;
  private final Duration replayWindow;
  private final int seenIdCapacity;
  private final Clock clock;
  private final int maxBodyBytes;
  private final Duration pollInterval;

  private WebhookConfig(Builder b) {
    secret = b.secret.clone();
    timestampHeader = b.timestampHeader == null ? "X-Dagflow-Timestamp" : b.timestampHeader;
    signatureHeader = b.signatureHeader == null ? "X-Dagflow-Signature" : b.signatureHeader;
    eventIdHeader = b.eventIdHeader == null ? "X-Dagflow-Event-Id" : b.eventIdHeader;
    replayWindow = b.replayWindow == null ? Duration.ofMinutes(5) : b.replayWindow;
    seenIdCapacity = b.seenIdCapacity == null ? 100_000 : b.seenIdCapacity;
    clock = b.clock == null ? Clock.systemUTC() : b.clock;
    maxBodyBytes = b.maxBodyBytes == null ? 1024 * 1024 : b.maxBodyBytes;
    pollInterval = b.pollInterval == null ? Duration.ofSeconds(30) : b.pollInterval;
  }

  /**
   * A builder for callbacks signed with {@code secret}, which is copied.
   *
   * @throws IllegalArgumentException naming {@code secret} if it has fewer than 16 bytes
   */
  public static Builder builder(byte[] secret) {
    return new Builder(secret);
  }

  byte[] secret() {
    return secret.clone();
  }

  /** The header of the callback's timestamp, in epoch seconds; default X-Dagflow-Timestamp. */
  public String timestampHeader() {
    return timestampHeader;
  }

  /** The header of the signature, {@code sha256=<hex>}; default X-Dagflow-Signature. */
  public String signatureHeader() {
    return signatureHeader;
  }

  /** The header of the callback's unique id; default X-Dagflow-Event-Id. */
  public String eventIdHeader() {
    return eventIdHeader;
  }

  /** How far a callback's timestamp may be from the clock, either way; default 5 min. */
  public Duration replayWindow() {
    return replayWindow;
  }

  /** How many event ids are remembered within the replay window; default 100,000. */
  public int seenIdCapacity() {
    return seenIdCapacity;
  }

  /** The clock timestamps are judged on; default the system's. */
  public Clock clock() {
    return clock;
  }

  /** The largest body the HTTP adapter reads, in bytes; default 1 MiB. */
  public int maxBodyBytes() {
    return maxBodyBytes;
  }

  /** How often a task is still polled while its callbacks arrive; default 30 s. */
  public Duration pollInterval() {
    return pollInterval;
  }

  @Override
  public String toString() {
    return "WebhookConfig[" + signatureHeader + ", window " + replayWindow + "]";
  }

  /**
   * Builds a {@link WebhookConfig}. Not thread-safe. Each setter checks its argument and refuses
   * to be called twice.
   */
  public static final class Builder {
    private final byte[] secret;
    private String timestampHeader;
    private String signatureHeader;
    private String eventIdHeader;
    private Duration replayWindow;
    private Integer seenIdCapacity;
    private Clock clock;
    private Integer maxBodyBytes;
    private Duration pollInterval;

    private Builder(byte[] secret) {
      Objects.requireNonNull(secret, "secret");
      if (secret.length < 16) {
        throw new IllegalArgumentException("secret must have at least 16 bytes, had "
            + secret.length);
      }
      this.secret = Arrays.copyOf(secret, secret.length);
    }

    /** The timestamp header's name. */
    public Builder timestampHeader(String name) {
      Checks.once("timestampHeader", timestampHeader);
      timestampHeader = Checks.header("timestampHeader", name, true);
      return this;
    }

    /** The signature header's name. */
    public Builder signatureHeader(String name) {
      Checks.once("signatureHeader", signatureHeader);
      signatureHeader = Checks.header("signatureHeader", name, true);
      return this;
    }

    /** The event id header's name. */
    public Builder eventIdHeader(String name) {
      Checks.once("eventIdHeader", eventIdHeader);
      eventIdHeader = Checks.header("eventIdHeader", name, true);
      return this;
    }

    /** The replay window, from 1 s to 1 h. */
    public Builder replayWindow(Duration window) {
      Checks.once("replayWindow", replayWindow);
      replayWindow = Checks.duration("replayWindow", window, Duration.ofSeconds(1),
          Duration.ofHours(1));
      return this;
    }

    /**
     * How many event ids are remembered, from 16 to 10,000,000: more than the engine sends in
     * one replay window. While it is full of ids still inside the window, callbacks are
     * refused with 503 rather than forgetting one that could then be replayed.
     */
    public Builder seenIdCapacity(int capacity) {
      Checks.once("seenIdCapacity", seenIdCapacity);
      seenIdCapacity = (int) Checks.range("seenIdCapacity", capacity, 16, 10_000_000);
      return this;
    }

    /** The clock timestamps are judged on. */
    public Builder clock(Clock clock) {
      Checks.once("clock", this.clock);
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** The largest body the HTTP adapter reads, from 1 KiB to 64 MiB; a larger one is 413. */
    public Builder maxBodyBytes(int bytes) {
      Checks.once("maxBodyBytes", maxBodyBytes);
      maxBodyBytes = (int) Checks.range("maxBodyBytes", bytes, 1024, 64L * 1024 * 1024);
      return this;
    }

    /**
     * How often a task whose callbacks arrive is still polled, from 1 ms to 1 h: its polls are
     * put off this long after each callback.
     */
    public Builder pollInterval(Duration interval) {
      Checks.once("pollInterval", pollInterval);
      pollInterval = Checks.duration("pollInterval", interval, Duration.ofMillis(1),
          Duration.ofHours(1));
      return this;
    }

    /** The config; the builder can be dropped. */
    public WebhookConfig build() {
      return new WebhookConfig(this);
    }
  }
}
