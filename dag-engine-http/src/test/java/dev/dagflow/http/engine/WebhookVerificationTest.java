package dev.dagflow.http.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The receiver's checks through its transport-independent entry point, on a clock the test
 * moves: the window's edges, header names in any case, the signature's form, the seen-id cache
 * and its bound. Nothing here reaches a followed task, so every genuine callback is a 404.
 */
class WebhookVerificationTest {
  private static final Instant T = Instant.parse("2026-12-02T08:00:00Z");
  private static final String BODY = "{\"engine_task_id\": \"t-1\", \"status\": \"running\"}";

  /** A clock the test sets. */
  private static final class SetClock extends Clock {
    volatile Instant now = T;

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private final SetClock clock = new SetClock();
  private final EngineClient client = EngineClient.builder(URI.create("http://127.0.0.1:9"))
      .build();
  private final HttpEngineExecutor executor = HttpEngineExecutor.builder().client(client)
      .webhooks(WebhookConfig.builder(Signer.SECRET).clock(clock).seenIdCapacity(16)
          .replayWindow(Duration.ofSeconds(60)).build()).build();
  private final WebhookReceiver receiver = executor.webhookReceiver().orElseThrow();

  @AfterEach
  void close() {
    executor.close();
    client.close();
  }

  private int handle(Map<String, List<String>> headers, String body) {
    return receiver.handle(headers, body.getBytes(StandardCharsets.UTF_8)).status();
  }

  @Test
  void theWindowHoldsEitherWayToItsEdge() throws Exception {
    assertThat(handle(Signer.headers(T.minusSeconds(60), "a", BODY), BODY)).isEqualTo(404);
    assertThat(handle(Signer.headers(T.plusSeconds(60), "b", BODY), BODY)).isEqualTo(404);
    assertThat(handle(Signer.headers(T.minusSeconds(61), "c", BODY), BODY)).isEqualTo(401);
    assertThat(receiver.handle(Signer.headers(T.plusSeconds(61), "d", BODY),
        BODY.getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(new WebhookReceiver.Reply(401, "the timestamp is outside the replay window"));
  }

  @Test
  void headerNamesAreMatchedInAnyCase() throws Exception {
    Map<String, List<String>> signed = Signer.headers(T, "x", BODY);
    Map<String, List<String>> lower = Map.of(
        "x-dagflow-timestamp", signed.get("X-Dagflow-Timestamp"),
        "X-DAGFLOW-SIGNATURE", signed.get("X-Dagflow-Signature"),
        "x-Dagflow-Event-id", signed.get("X-Dagflow-Event-Id"));

    assertThat(receiver.handle(lower, BODY.getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(new WebhookReceiver.Reply(404, "no task 't-1' is followed here"));
  }

  @Test
  void aSignatureOfTheWrongFormIsRefused() throws Exception {
    String ts = Long.toString(T.getEpochSecond());
    String good = Signer.sign(Signer.SECRET, ts, BODY);
    for (String bad : List.of(good.substring(7), good.toUpperCase().replace("SHA256", "sha1"),
        good.substring(0, good.length() - 2), good.substring(0, good.length() - 1) + "g")) {
      Map<String, List<String>> h = Map.of("X-Dagflow-Timestamp", List.of(ts),
          "X-Dagflow-Signature", List.of(bad), "X-Dagflow-Event-Id", List.of("e"));
      assertThat(handle(h, BODY)).as(bad).isEqualTo(401);
    }
    assertThat(handle(Map.of("X-Dagflow-Timestamp", List.of("noon"), "X-Dagflow-Signature",
        List.of(good), "X-Dagflow-Event-Id", List.of("e")), BODY)).isEqualTo(401);
    assertThat(handle(Signer.headers(T, "e", BODY), BODY)).as("the same, well signed")
        .isEqualTo(404);
  }

  @Test
  void theSeenIdCacheRefusesReplaysForgetsOldIdsAndIsBounded() throws Exception {
    for (int i = 0; i < 16; i++) {
      assertThat(handle(Signer.headers(T, "id-" + i, BODY), BODY)).isEqualTo(404);
    }
    assertThat(handle(Signer.headers(T, "id-3", BODY), BODY)).as("replay").isEqualTo(401);
    assertThat(receiver.handle(Signer.headers(T, "id-16", BODY),
        BODY.getBytes(StandardCharsets.UTF_8)).status()).as("full, all in the window")
        .isEqualTo(503);

    clock.now = T.plusSeconds(61); // the first ids have left the window: they are forgotten
    assertThat(handle(Signer.headers(clock.now, "id-16", BODY), BODY)).isEqualTo(404);
    assertThat(handle(Signer.headers(T, "id-3", BODY), BODY)).as("stale now").isEqualTo(401);
  }

  @Test
  void theConfigRefusesBadSettingsNamingThem() {
    assertThatThrownBy(() -> WebhookConfig.builder(new byte[8]))
        .hasMessage("secret must have at least 16 bytes, had 8");
    assertThatThrownBy(() -> WebhookConfig.builder(Signer.SECRET).replayWindow(Duration.ZERO))
        .hasMessageStartingWith("replayWindow must be from PT1S to PT1H");
    assertThatThrownBy(() -> WebhookConfig.builder(Signer.SECRET).signatureHeader("X Sig"))
        .hasMessageStartingWith("signatureHeader must be a header name");
    assertThatThrownBy(() -> WebhookConfig.builder(Signer.SECRET).seenIdCapacity(16)
        .seenIdCapacity(32)).isInstanceOf(IllegalStateException.class)
        .hasMessage("seenIdCapacity was already set to 16");
  }
}
