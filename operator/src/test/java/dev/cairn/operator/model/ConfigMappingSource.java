package dev.cairn.operator.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The keys a service's SmallRye {@code @ConfigMapping} interface binds, read off its source: the
 * operator cannot link the services, and a key the mapping does not know stops the service at
 * start-up (unknown keys under a mapping's prefix are rejected). Covers what the services' mappings
 * use: nested interfaces, {@code @WithName}, {@code Optional<...>}, {@code List<...>}, and method
 * names in kebab case.
 */
final class ConfigMappingSource {
  private static final Pattern MAPPING =
      Pattern.compile(
          "@ConfigMapping\\(prefix\\s*=\\s*\"([^\"]+)\"\\)\\s*public\\s+interface\\s+\\w+\\s*\\{");
  private static final Pattern METHOD =
      Pattern.compile(
          "(?:@WithName\\(\"([^\"]+)\"\\)\\s*)?(?:@\\w+(?:\\([^)]*\\))?\\s*)*"
              + "([\\w.]+(?:<[\\w<>, ?.]+>)?)\\s+(\\w+)\\(\\)\\s*;");
  private static final Pattern WRAPPER = Pattern.compile("^(?:Optional|List|Set)<(.+)>$");

  private final String source;
  private final String prefix;
  private final String body;

  private ConfigMappingSource(String source, String prefix, String body) {
    this.source = source;
    this.prefix = prefix;
    this.body = body;
  }

  /** The mapping of the module's {@code config} sources, e.g. {@code ../storage-svc}. */
  static ConfigMappingSource of(Path module) throws IOException {
    try (Stream<Path> files = Files.walk(module.resolve("src/main/java"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        String text = Files.readString(file);
        Matcher mapping = MAPPING.matcher(text);
        if (mapping.find()) {
          return new ConfigMappingSource(text, mapping.group(1), block(text, mapping.end()));
        }
      }
    }
    throw new IllegalArgumentException("no @ConfigMapping interface under " + module);
  }

  String prefix() {
    return prefix;
  }

  /** Whether {@code key} (under {@link #prefix()}) names a property of the mapping. */
  boolean binds(String key) {
    if (!key.startsWith(prefix + ".")) {
      return false;
    }
    String body = this.body;
    String[] segments = key.substring(prefix.length() + 1).split("\\.");
    for (int i = 0; i < segments.length; i++) {
      Optional<String> type = member(body, segments[i]);
      if (type.isEmpty()) {
        return false;
      }
      Optional<String> group = nested(type.get());
      if (i == segments.length - 1) {
        return group.isEmpty(); // a value, not a group of them
      }
      if (group.isEmpty()) {
        return false;
      }
      body = group.get();
    }
    return false;
  }

  /** The type of the body's own (not its nested interfaces') method for a key segment. */
  private static Optional<String> member(String body, String segment) {
    Matcher method = METHOD.matcher(topLevel(body));
    while (method.find()) {
      String name = method.group(1) != null ? method.group(1) : kebab(method.group(3));
      if (name.equals(segment)) {
        String type = method.group(2);
        Matcher wrapped = WRAPPER.matcher(type);
        return Optional.of(wrapped.matches() ? wrapped.group(1) : type);
      }
    }
    return Optional.empty();
  }

  private Optional<String> nested(String type) {
    Matcher declaration =
        Pattern.compile("interface\\s+" + Pattern.quote(type) + "\\s*\\{").matcher(source);
    return declaration.find() ? Optional.of(block(source, declaration.end())) : Optional.empty();
  }

  /** The text from {@code start} (just after an opening brace) to its closing brace. */
  private static String block(String text, int start) {
    int depth = 1;
    for (int i = start; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '{') {
        depth++;
      } else if (c == '}' && --depth == 0) {
        return text.substring(start, i);
      }
    }
    throw new IllegalArgumentException("unbalanced braces");
  }

  /** The body with its nested blocks (interfaces, default methods) left out. */
  private static String topLevel(String body) {
    StringBuilder out = new StringBuilder();
    int depth = 0;
    for (char c : body.toCharArray()) {
      if (c == '{') {
        depth++;
      } else if (c == '}') {
        depth--;
        out.append(';');
      } else if (depth == 0) {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static String kebab(String method) {
    List<String> parts = new ArrayList<>();
    Matcher word = Pattern.compile("[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])").matcher(method);
    while (word.find()) {
      parts.add(word.group().toLowerCase(java.util.Locale.ROOT));
    }
    return String.join("-", parts);
  }
}
