package dev.dagflow.spec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Hostile mutations of a valid JSON document, as an attacker would make them: deep nesting,
 * huge numbers, long keys and strings, NaN, POJO and missing nodes, wrong types, removed and
 * added fields, and, for text, truncation and stray characters. One mutation gives the same
 * document as a tree and as text (where text can say it at all), and a description for a
 * failure message that does not print megabytes.
 */
final class JsonMutations {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final JsonMapper WRITER = new JsonMapper();

  /** A value to put somewhere: as a tree, and as JSON text (which may be malformed). */
  record Fragment(String name, JsonNode tree, String text) {}

  /** A mutated document. */
  record Mutant(JsonNode tree, String text, String description) {}

  private final SplittableRandom random;

  JsonMutations(long seed) {
    this.random = new SplittableRandom(seed);
  }

  /** One to three mutations of a deep copy of {@code seed}; the seed is not changed. */
  Mutant mutate(JsonNode seed) {
    JsonNode tree = seed.deepCopy();
    JsonNode marked = seed.deepCopy();
    List<String> names = new ArrayList<>();
    List<Fragment> holes = new ArrayList<>();
    int n = 1 + random.nextInt(3);
    for (int m = 0; m < n; m++) {
      List<Place> places = new ArrayList<>();
      collect(tree, marked, places);
      if (places.isEmpty()) {
        break;
      }
      Place place = places.get(random.nextInt(places.size()));
      int kind = random.nextInt(10);
      if (kind == 0 && place.key != null) {
        ((ObjectNode) place.parent).remove(place.key);
        ((ObjectNode) place.markedParent).remove(place.key);
        names.add("removed " + place.key);
        continue;
      }
      Fragment f = fragment();
      String marker = "@@HOLE" + holes.size() + "@@";
      holes.add(f);
      if (kind == 1 && place.parent.isObject()) { // a new field beside an existing one
        String key = "extra" + m;
        ((ObjectNode) place.parent).set(key, f.tree());
        ((ObjectNode) place.markedParent).put(key, marker);
        names.add("added " + key + " = " + f.name());
      } else {
        place.set(f.tree(), JSON.textNode(marker));
        names.add((place.key != null ? place.key : "[" + place.index + "]") + " = " + f.name());
      }
    }
    String text = write(marked);
    for (int h = 0; h < holes.size(); h++) {
      text = text.replace("\"@@HOLE" + h + "@@\"", holes.get(h).text());
    }
    if (random.nextInt(8) == 0) {
      int at = random.nextInt(text.length() + 1);
      text = text.substring(0, at);
      names.add("text truncated at " + at);
    } else if (random.nextInt(8) == 0) {
      int at = random.nextInt(text.length());
      char c = "{}[],:\"\\x0-.eE".charAt(random.nextInt(14));
      text = text.substring(0, at) + c + text.substring(at + 1);
      names.add("text char " + at + " = " + c);
    }
    return new Mutant(tree, text, String.join("; ", names));
  }

  /** A place holding a value, in the tree and in its twin that will be written as text. */
  private static final class Place {
    final JsonNode parent;
    final JsonNode markedParent;
    final String key;
    final int index;

    Place(JsonNode parent, JsonNode markedParent, String key, int index) {
      this.parent = parent;
      this.markedParent = markedParent;
      this.key = key;
      this.index = index;
    }

    void set(JsonNode value, JsonNode marker) {
      if (key != null) {
        ((ObjectNode) parent).set(key, value);
        ((ObjectNode) markedParent).set(key, marker);
      } else {
        ((ArrayNode) parent).set(index, value);
        ((ArrayNode) markedParent).set(index, marker);
      }
    }
  }

  /** Every place in the seed's own structure; fragments put in earlier are not entered. */
  private static void collect(JsonNode node, JsonNode marked, List<Place> places) {
    if (node.isObject() && marked.isObject()) {
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        JsonNode twin = marked.get(e.getKey());
        if (twin == null || twin.isTextual() && twin.textValue().startsWith("@@HOLE")) {
          continue;
        }
        places.add(new Place(node, marked, e.getKey(), -1));
        collect(e.getValue(), twin, places);
      }
    } else if (node.isArray() && marked.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        JsonNode twin = marked.get(i);
        if (twin.isTextual() && twin.textValue().startsWith("@@HOLE")) {
          continue;
        }
        places.add(new Place(node, marked, null, i));
        collect(node.get(i), twin, places);
      }
    }
  }

  private Fragment fragment() {
    switch (random.nextInt(14)) {
      case 0 -> {
        int depth = pickInt(5, 990 + random.nextInt(12), 3000);
        return new Fragment("object nested " + depth, nested(depth, false), nestedText(depth,
            false));
      }
      case 1 -> {
        int depth = pickInt(5, 990 + random.nextInt(12), 3000);
        return new Fragment("array nested " + depth, nested(depth, true), nestedText(depth,
            true));
      }
      case 2 -> {
        int digits = pickInt(999, 1000, 1001, 1501, 20_000);
        String s = "7".repeat(digits);
        return new Fragment("integer of " + digits + " digits",
            JSON.numberNode(new BigInteger(s)), s);
      }
      case 3 -> {
        String s = pick("1e400", "-1e400", "1e-400", "-1e-400", "1E+999999999",
            "1e999999999", "1e-999999999", "0e-999999999", "1e-310", "0." + "3".repeat(990));
        return new Fragment("decimal " + cut(s), JSON.numberNode(new BigDecimal(s)), s);
      }
      case 4 -> {
        double d = pick(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0);
        return new Fragment("double " + d, JSON.numberNode(d), Double.toString(d));
      }
      case 5 -> {
        return new Fragment("POJO", JSON.pojoNode(new Object()), "{\"pojo\": {}}");
      }
      case 6 -> {
        return new Fragment("MissingNode", MissingNode.getInstance(), "");
      }
      case 7 -> {
        int length = pickInt(49_999, 50_000, 50_001, 60_000);
        String key = "k".repeat(length);
        return new Fragment("key of " + length, JSON.objectNode().put(key, 1),
            "{\"" + key + "\": 1}");
      }
      case 8 -> {
        int length = random.nextInt(60) == 0 ? 20_000_001 : pickInt(1000, 100_000);
        String s = "s".repeat(length);
        return new Fragment("string of " + length, JSON.textNode(s), "\"" + s + "\"");
      }
      case 9 -> {
        byte[] bytes = {0, 1, 2, (byte) 255};
        return new Fragment("binary", JSON.binaryNode(bytes), "\"AAEC/w==\"");
      }
      case 10 -> {
        String s = "x y".repeat(pickInt(10, 100_000));
        return new Fragment("bad id of " + s.length(), JSON.textNode(s), "\"" + s + "\"");
      }
      default -> {
        JsonNode v = pick(JSON.textNode("str"), JSON.numberNode(7), JSON.numberNode(-1),
            JSON.numberNode(1.5), JSON.booleanNode(true), JSON.nullNode(), JSON.arrayNode(),
            JSON.objectNode(), JSON.arrayNode().add("x"), JSON.objectNode().put("a", 1),
            JSON.numberNode(Long.MAX_VALUE), JSON.numberNode(2_147_483_648L));
        return new Fragment("value " + v, v, v.toString());
      }
    }
  }

  @SafeVarargs
  private <T> T pick(T... options) {
    return options[random.nextInt(options.length)];
  }

  private int pickInt(int... options) {
    return options[random.nextInt(options.length)];
  }

  /** An object (or array) nesting {@code levels} levels, itself the first. */
  static JsonNode nested(int levels, boolean arrays) {
    JsonNode top = arrays ? JSON.arrayNode() : JSON.objectNode();
    JsonNode at = top;
    for (int i = 1; i < levels; i++) {
      at = arrays ? ((ArrayNode) at).addArray() : ((ObjectNode) at).putObject("x");
    }
    return top;
  }

  static String nestedText(int levels, boolean arrays) {
    String open = arrays ? "[" : "{\"x\":";
    String close = arrays ? "]" : "}";
    return open.repeat(levels - 1) + (arrays ? "[]" : "{}") + close.repeat(levels - 1);
  }

  private static String write(JsonNode tree) {
    try {
      return WRITER.writeValueAsString(tree);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a seed could not be written", e);
    }
  }

  private static String cut(String s) {
    return s.length() <= 20 ? s : s.substring(0, 17) + "...";
  }
}
