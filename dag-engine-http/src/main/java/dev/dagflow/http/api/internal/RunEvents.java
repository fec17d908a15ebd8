package dev.dagflow.http.api.internal;

import static dev.dagflow.http.api.internal.Route.Access.READ;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.engine.DagEngine;
import dev.dagflow.engine.RunView;
import dev.dagflow.log.LogEntry;
import dev.dagflow.log.LogQuery;
import dev.dagflow.state.RunState;
import dev.dagflow.state.StateTransition;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code GET …/runs/{run}/events}: a Server-Sent Events stream of a run's node transitions
 * ({@code event: transition}) and log lines ({@code event: log}), then {@code event: end} once
 * the run has ended. Each event's id is the cursor {@code <transitions>:<logSeq>}: how many
 * transitions of the run the client has now, and the number of the last log line. A client
 * that reconnects with {@code Last-Event-ID} gets exactly what follows: the transitions from
 * that position of the run's list (which only grows) and the lines after that number, none lost
 * and none twice.
 *
 * <p>The stream wakes when the engine tells of a change of the run, and otherwise every {@link
 * #LOG_INTERVAL_MS} ms for log lines (which have no listener), reading the transitions and the
 * run's state every {@link #READ_EVERY_ROUNDS} rounds even without a word from the engine (a
 * run another instance owns changes without one); the transitions are read from the cursor
 * on, never the run's whole list again; after about {@link
 * #KEEP_ALIVE_MS} ms without an event it sends a keep-alive comment, which is how a client
 * that went away is noticed. It holds the server's thread while it lasts.
 */
final class RunEvents {
  static final long LOG_INTERVAL_MS = 250;
  static final long KEEP_ALIVE_MS = 15_000;
  /** How many transitions one read of the store takes. */
  private static final int PAGE = 1_000;
  /** Rounds without a word from the engine after which transitions are read all the same. */
  static final int READ_EVERY_ROUNDS = 4;
  private static final Pattern CURSOR = Pattern.compile("(\\d{1,9}):(\\d{1,18})");

  private final DagEngine engine;
  private final RunEventHub hub;

  RunEvents(DagEngine engine, RunEventHub hub) {
    this.engine = engine;
    this.hub = hub;
  }

  List<Route> routes() {
    return List.of(new Route("GET", Paths.RUN + "/events", READ,
        "Server-Sent Events of a run's transitions and log lines, resumable with "
            + "Last-Event-ID", Set.of(), "", this::open));
  }

  private ApiResponse open(Call call) {
    RunView run = RunAccess.run(engine, call);
    int transitions = 0;
    long logSeq = 0;
    Optional<String> last = call.header("Last-Event-ID");
    if (last.isPresent()) {
      Matcher m = CURSOR.matcher(last.get().trim());
      if (!m.matches()) {
        throw ApiException.badField("Last-Event-ID", "must be an id this stream sent, "
            + "<transitions>:<logSeq>, got '" + Query.cut(last.get()) + "'");
      }
      transitions = Integer.parseInt(m.group(1));
      logSeq = Long.parseLong(m.group(2));
    }
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "text/event-stream; charset=utf-8");
    headers.put("Cache-Control", "no-cache");
    headers.put("X-Accel-Buffering", "no");
    Stream stream = new Stream(run.runId(), transitions, logSeq);
    return new ApiResponse(200, headers, null, stream::write);
  }

  /** One client's stream: its cursor and its wake-up. */
  private final class Stream {
    private final String runId;
    private int transitions;
    private long logSeq;

    Stream(String runId, int transitions, long logSeq) {
      this.runId = runId;
      this.transitions = transitions;
      this.logSeq = logSeq;
    }

    void write(OutputStream out) throws IOException {
      RunEventHub.Signal signal = new RunEventHub.Signal();
      hub.subscribe(runId, signal);
      try {
        out.write(": stream of run ".concat(runId).concat("\n\n")
            .getBytes(StandardCharsets.UTF_8));
        out.flush();
        boolean changed = true;
        RunState state = null;
        int quietRounds = 0;
        int unread = 0;
        while (true) {
          // another instance's changes of a run it owns reach no listener here: read anyway
          // every few rounds
          if (changed || ++unread >= READ_EVERY_ROUNDS) {
            changed = true;
            unread = 0;
            // the state first: what was stored before it ended is then all read below
            state = engine.get(runId).state();
          }
          boolean wrote = send(out, changed);
          if (state.isTerminal()) {
            ObjectNode end = Views.NODES.objectNode().put("state", state.name());
            event(out, "end", cursor(), end);
            out.flush();
            return;
          }
          if (wrote) {
            quietRounds = 0;
          } else if (++quietRounds >= KEEP_ALIVE_MS / LOG_INTERVAL_MS) {
            out.write(": keep-alive\n\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            quietRounds = 0;
          }
          changed = signal.await(LOG_INTERVAL_MS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        hub.unsubscribe(runId, signal);
      }
    }

    /** The transitions after the cursor, read from there on in pages. */
    private List<StateTransition> newTransitions() {
      List<StateTransition> out = new ArrayList<>();
      while (true) {
        List<StateTransition> page = engine.transitions(runId, transitions + out.size(), PAGE);
        out.addAll(page);
        if (page.size() < PAGE) {
          return out;
        }
      }
    }

    /**
     * Sends what followed the cursor, in time order; whether it sent anything. Transitions are
     * read only when the engine told of a change, log lines every time.
     */
    private boolean send(OutputStream out, boolean changed) throws IOException {
      List<StateTransition> newTransitions = changed ? newTransitions() : List.of();
      List<LogEntry> lines = engine.logs(LogQuery.of(runId).afterSequence(logSeq));
      int t = 0;
      int l = 0;
      while (t < newTransitions.size() || l < lines.size()) {
        boolean takeTransition = l >= lines.size() || (t < newTransitions.size()
            && !newTransitions.get(t).time().isAfter(lines.get(l).time()));
        if (takeTransition) {
          StateTransition tr = newTransitions.get(t++);
          transitions++;
          ObjectNode data = Views.transition(tr).put("index", transitions);
          event(out, "transition", cursor(), data);
        } else {
          LogEntry line = lines.get(l++);
          logSeq = line.seq();
          event(out, "log", cursor(), Views.log(line));
        }
      }
      if (t + l > 0) {
        out.flush();
        return true;
      }
      return false;
    }

    private String cursor() {
      return transitions + ":" + logSeq;
    }
  }

  private static void event(OutputStream out, String name, String id, ObjectNode data)
      throws IOException {
    // compact JSON has no line break, so one data line carries it
    String text = "id: " + id + "\nevent: " + name + "\ndata: "
        + new String(Bodies.write(data), StandardCharsets.UTF_8) + "\n\n";
    out.write(text.getBytes(StandardCharsets.UTF_8));
  }
}
