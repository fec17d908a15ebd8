package dev.dagflow.http.engine.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.dagflow.http.engine.AgentStatus;
import dev.dagflow.http.engine.EngineLogLine;
import dev.dagflow.http.engine.EngineProtocolException;
import dev.dagflow.http.engine.RemoteError;
import dev.dagflow.http.engine.RemoteStatus;
import dev.dagflow.http.engine.TaskStatus;
import dev.dagflow.json.JsonLimits;
import dev.dagflow.log.LogLevel;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads the remote engine's answers: under dagflow's JSON limits, strictly (one document,
 * no duplicate keys), each problem an {@link EngineProtocolException} naming the operation and
 * the path of the offending field.
 */
public final class Protocol {
  /** The mapper for the protocol's bodies, both ways, under {@link JsonLimits}. */
  public static final JsonMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
          .streamReadConstraints(JsonLimits.readConstraints())
          .streamWriteConstraints(JsonLimits.writeConstraints())
          .build())
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .build();

  /** The longest engine id accepted: what an attempt's engine reference may hold. */
  public static final int MAX_ID_LENGTH = 512;

  private static final int SHOWN = 60;

  private Protocol() {
  }

  /** The JSON document of an answer's body. */
  public static JsonNode read(String operation, byte[] body) {
    try {
      JsonNode node = MAPPER.readTree(body);
      if (node == null || node.isMissingNode()) {
        throw new EngineProtocolException(operation, "(body)", "the answer is empty, not JSON",
            null);
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new EngineProtocolException(operation, "(body)", "the answer is not JSON: "
          + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new EngineProtocolException(operation, "(body)", "the answer could not be read: "
          + e.getMessage(), e);
    }
  }

  /** The {@code engine_task_id} of a submit answer. */
  public static String taskId(String operation, JsonNode answer) {
    return id(operation, object(operation, answer, "(body)"), "engine_task_id", "");
  }

  /** A status answer (or a webhook's body, which names its task: {@code taskId} null). */
  public static TaskStatus status(String operation, JsonNode answer, String taskId) {
    return task(operation, object(operation, answer, "(body)"), "", taskId);
  }

  /** A batch status answer: {@code {"tasks": [{"engine_task_id", …status}]}}. */
  public static List<TaskStatus> statuses(String operation, JsonNode answer) {
    JsonNode tasks = required(operation, object(operation, answer, "(body)"), "tasks", "");
    if (!tasks.isArray()) {
      throw wrong(operation, "tasks", "an array", tasks);
    }
    List<TaskStatus> out = new ArrayList<>(tasks.size());
    for (int i = 0; i < tasks.size(); i++) {
      String at = "tasks[" + i + "]";
      out.add(task(operation, object(operation, tasks.get(i), at), at + ".", null));
    }
    return out;
  }

  /** A logs answer: {@code {"logs": [{"timestamp", "level", "message", "id"?}]}}. */
  public static List<EngineLogLine> logs(String operation, JsonNode answer) {
    JsonNode logs = required(operation, object(operation, answer, "(body)"), "logs", "");
    if (!logs.isArray()) {
      throw wrong(operation, "logs", "an array", logs);
    }
    List<EngineLogLine> out = new ArrayList<>(logs.size());
    for (int i = 0; i < logs.size(); i++) {
      String at = "logs[" + i + "]";
      JsonNode line = object(operation, logs.get(i), at);
      JsonNode ts = required(operation, line, "timestamp", at + ".");
      String raw = ts.isNumber() ? ts.asText() : ts.isTextual() ? ts.textValue() : null;
      if (raw == null) {
        throw wrong(operation, at + ".timestamp", "a string or a number", ts);
      }
      Instant time = instant(operation, at + ".timestamp", ts);
      Optional<String> level = optionalText(operation, line, "level", at + ".");
      String message = text(operation, line, "message", at + ".");
      Optional<String> id = line.hasNonNull("id")
          ? Optional.of(id(operation, line, "id", at + ".")) : Optional.empty();
      out.add(new EngineLogLine(time, raw, level.map(Protocol::level).orElse(LogLevel.INFO),
          message, id));
    }
    return out;
  }

  /** The level a remote level name maps to: see {@link EngineLogLine}. */
  static LogLevel level(String name) {
    switch (name.toUpperCase(Locale.ROOT)) {
      case "TRACE", "DEBUG" -> {
        return LogLevel.DEBUG;
      }
      case "WARN", "WARNING" -> {
        return LogLevel.WARN;
      }
      case "ERROR", "FATAL", "CRITICAL" -> {
        return LogLevel.ERROR;
      }
      default -> {
        return LogLevel.INFO;
      }
    }
  }

  private static TaskStatus task(String op, JsonNode task, String at, String knownId) {
    String id = knownId != null ? knownId : id(op, task, "engine_task_id", at);
    RemoteStatus status = state(op, task, at);
    Optional<Integer> progress = progress(op, task, at);
    Optional<JsonNode> result = Optional.ofNullable(task.get("result"))
        .filter(r -> !r.isNull());
    Optional<RemoteError> error = error(op, task, at);
    List<AgentStatus> agents = new ArrayList<>();
    JsonNode list = task.get("agents");
    if (list != null && !list.isNull()) {
      if (!list.isArray()) {
        throw wrong(op, at + "agents", "an array", list);
      }
      for (int i = 0; i < list.size(); i++) {
        String a = at + "agents[" + i + "]";
        JsonNode agent = object(op, list.get(i), a);
        agents.add(new AgentStatus(id(op, agent, "engine_agent_id", a + "."),
            optionalText(op, agent, "node_id", a + "."), state(op, agent, a + "."),
            progress(op, agent, a + "."),
            Optional.ofNullable(agent.get("result")).filter(r -> !r.isNull()),
            error(op, agent, a + ".")));
      }
    }
    return new TaskStatus(id, status, progress, result, error, agents);
  }

  private static RemoteStatus state(String op, JsonNode node, String at) {
    String value = text(op, node, "status", at);
    return RemoteStatus.parse(value).orElseThrow(() -> new EngineProtocolException(op,
        at + "status", "unknown status '" + cut(value) + "' at " + at + "status (known: "
            + "pending, queued, submitted, running, completed, succeeded, success, failed, "
            + "error, stopped, cancelled, canceled)", null));
  }

  private static Optional<Integer> progress(String op, JsonNode node, String at) {
    JsonNode p = node.get("progress");
    if (p == null || p.isNull()) {
      return Optional.empty();
    }
    if (!p.isNumber()) {
      throw wrong(op, at + "progress", "a number from 0 to 100", p);
    }
    double value = p.asDouble();
    if (!(value >= 0 && value <= 100)) {
      throw wrong(op, at + "progress", "a number from 0 to 100", p);
    }
    return Optional.of((int) Math.floor(value));
  }

  private static Optional<RemoteError> error(String op, JsonNode node, String at) {
    JsonNode e = node.get("error");
    if (e == null || e.isNull()) {
      return Optional.empty();
    }
    if (e.isTextual()) {
      return Optional.of(new RemoteError(Optional.empty(), e.textValue()));
    }
    if (!e.isObject()) {
      throw wrong(op, at + "error", "a string or an object", e);
    }
    Optional<String> code = optionalText(op, e, "code", at + "error.").filter(c -> !c.isBlank());
    Optional<String> message = optionalText(op, e, "message", at + "error.");
    return Optional.of(new RemoteError(code, message.orElse(code.orElse("(no message)"))));
  }

  private static Instant instant(String op, String at, JsonNode ts) {
    if (ts.isNumber()) {
      BigDecimal millis = ts.decimalValue();
      if (millis.abs().compareTo(BigDecimal.valueOf(Instant.MAX.getEpochSecond() / 1000)) > 0) {
        throw wrong(op, at, "epoch milliseconds or an ISO-8601 time", ts);
      }
      BigDecimal nanos = millis.movePointRight(6);
      BigDecimal[] parts = nanos.divideAndRemainder(BigDecimal.valueOf(1_000_000_000L));
      return Instant.ofEpochSecond(parts[0].longValue(), parts[1].longValue());
    }
    String text = ts.textValue();
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      try {
        return OffsetDateTime.parse(text).toInstant();
      } catch (DateTimeParseException again) {
        throw wrong(op, at, "epoch milliseconds or an ISO-8601 time", ts);
      }
    }
  }

  private static JsonNode object(String op, JsonNode node, String at) {
    if (node == null || !node.isObject()) {
      throw wrong(op, at, "an object", node);
    }
    return node;
  }

  private static JsonNode required(String op, JsonNode node, String field, String at) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      throw new EngineProtocolException(op, at + field, "the answer has no " + at + field,
          null);
    }
    return value;
  }

  private static String text(String op, JsonNode node, String field, String at) {
    JsonNode value = required(op, node, field, at);
    if (!value.isTextual()) {
      throw wrong(op, at + field, "a string", value);
    }
    return value.textValue();
  }

  private static Optional<String> optionalText(String op, JsonNode node, String field,
      String at) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (!value.isTextual()) {
      throw wrong(op, at + field, "a string", value);
    }
    return Optional.of(value.textValue());
  }

  /** An id: a string (or an integer, as its digits), not blank, short, no control characters. */
  private static String id(String op, JsonNode node, String field, String at) {
    JsonNode value = required(op, node, field, at);
    String id = value.isTextual() ? value.textValue()
        : value.isIntegralNumber() ? value.asText() : null;
    if (id == null) {
      throw wrong(op, at + field, "a string", value);
    }
    String problem = null;
    if (id.isBlank()) {
      problem = "is blank";
    } else if (id.length() > MAX_ID_LENGTH) {
      problem = "has " + id.length() + " characters, over " + MAX_ID_LENGTH;
    } else if (id.chars().anyMatch(Character::isISOControl)) {
      problem = "has a control character";
    }
    if (problem != null) {
      throw new EngineProtocolException(op, at + field, at + field + " " + problem, null);
    }
    return id;
  }

  private static EngineProtocolException wrong(String op, String at, String expected,
      JsonNode actual) {
    String was = actual == null ? "missing"
        : actual.isNull() ? "null" : actual.getNodeType().toString().toLowerCase(Locale.ROOT)
            + " " + cut(actual.toString());
    return new EngineProtocolException(op, at, at + " must be " + expected + ", was " + was,
        null);
  }

  /** {@code s} cut to a length fit for a message. */
  static String cut(String s) {
    return s.length() <= SHOWN ? s : s.substring(0, SHOWN) + "…";
  }
}
