package dev.cairn.operator.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/** A short, stable digest of configuration data: same entries, same hash, in any order. */
public final class ConfigHash {
  private ConfigHash() {}

  public static String of(Map<String, String> data) {
    MessageDigest sha256;
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
    for (Map.Entry<String, String> entry : new TreeMap<>(data).entrySet()) {
      // Lengths first, so that no two different maps concatenate to the same bytes.
      update(sha256, entry.getKey());
      update(sha256, entry.getValue());
    }
    return HexFormat.of().formatHex(sha256.digest(), 0, 16);
  }

  private static void update(MessageDigest digest, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    digest.update(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
    digest.update((byte) ':');
    digest.update(bytes);
  }
}
