package dev.dagflow.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.json.InvalidJsonException;
import dev.dagflow.spec.Backoff;
import dev.dagflow.spec.RetryPolicy;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PolicyJsonTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Test
  void everySettingComesBackEqual() {
    ExecutionPolicy policy = ExecutionPolicy.builder("fast").project("acme")
        .retry(RetryPolicy.builder().maxAttempts(3).backoff(Backoff.EXPONENTIAL)
            .initialDelay(Duration.ofMillis(1500)).multiplier(2.5)
            .maxDelay(Duration.ofMinutes(1)).jitter(0.25).build())
        .nodeTimeout(Duration.ofSeconds(90)).maxParallelNodesPerRun(4)
        .maxConcurrentRunsPerScope(2).failureStrategy(FailureStrategy.FAIL_FAST)
        .abandonLimit(0).defaultConfig("port_scan", MAPPER.createObjectNode().put("rate", 100))
        .secretKeys(SecretKeys.of("password", "ssn")).build();

    ObjectNode json = PolicyJson.toJson(policy);

    assertThat(json.toString()).isEqualTo("{\"name\":\"fast\",\"project\":\"acme\",\"retry\":"
        + "{\"maxAttempts\":3,\"backoff\":\"EXPONENTIAL\",\"initialDelay\":\"PT1.5S\","
        + "\"multiplier\":2.5,\"maxDelay\":\"PT1M\",\"jitter\":0.25},\"nodeTimeout\":\"PT1M30S\","
        + "\"maxParallelNodesPerRun\":4,\"maxConcurrentRunsPerScope\":2,"
        + "\"failureStrategy\":\"FAIL_FAST\",\"abandonLimit\":0,"
        + "\"defaultConfig\":{\"port_scan\":{\"rate\":100}},"
        + "\"secretKeys\":[\"password\",\"ssn\"]}");
    assertThat(PolicyJson.fromJson(json)).isEqualTo(policy);
    ExecutionPolicy bare = ExecutionPolicy.builder("bare").build();
    assertThat(PolicyJson.toJson(bare).toString()).isEqualTo("{\"name\":\"bare\"}");
    assertThat(PolicyJson.fromJson(PolicyJson.toJson(bare))).isEqualTo(bare);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "[]                                      | ''                     | must be a JSON object",
      "{}                                      | name                   | is required",
      "{\"name\": 7}                           | name                   | must be a string",
      "{\"name\": \"a b\"}                     | name                   | must match",
      "{\"name\": \"p\", \"colour\": 1}        | colour                 | is not a field",
      "{\"name\": \"p\", \"nodeTimeout\": 30}  | nodeTimeout            | must be a string",
      "{\"name\": \"p\", \"nodeTimeout\": \"30s\"} | nodeTimeout        | ISO-8601",
      "{\"name\": \"p\", \"nodeTimeout\": \"PT0S\"} | nodeTimeout       | positive",
      "{\"name\": \"p\", \"abandonLimit\": 1e400} | abandonLimit         | an integer",
      "{\"name\": \"p\", \"abandonLimit\": 99999999999} | abandonLimit   | an integer",
      "{\"name\": \"p\", \"abandonLimit\": 101} | abandonLimit           | 0 to 100",
      "{\"name\": \"p\", \"failureStrategy\": \"SOMETIMES\"} | failureStrategy | must be one of",
      "{\"name\": \"p\", \"retry\": {\"maxAttempts\": 0}} | retry.maxAttempts | must be >= 1",
      "{\"name\": \"p\", \"retry\": {\"tries\": 2}} | retry.tries         | is not a field",
      "{\"name\": \"p\", \"retry\": {\"jitter\": \"x\"}} | retry.jitter     | a finite number",
      "{\"name\": \"p\", \"defaultConfig\": {\"t\": 1}} | defaultConfig.t | a JSON object",
      "{\"name\": \"p\", \"secretKeys\": [\"ok\", 3]} | secretKeys[1]    | must be a string",
  })
  void aBadFieldIsNamed(String json, String path, String problem) throws Exception {
    assertThatThrownBy(() -> PolicyJson.fromJson(MAPPER.readTree(json)))
        .isInstanceOf(InvalidJsonException.class)
        .hasMessageContaining(problem)
        .extracting(e -> ((InvalidJsonException) e).path()).isEqualTo(path);
  }
}
