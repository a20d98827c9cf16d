package dev.cairn.collector.ingest;

import static dev.cairn.collector.ingest.CharacterReplacement.REPLACEMENT_CHARACTER;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Replaces the characters of {@link CharacterReplacement} with U+FFFD, counting each one. */
public final class StringRepair {

  private StringRepair() {}

  /**
   * The text with NUL and (when {@code surrogates}) unpaired surrogates replaced; the same instance
   * when it has none, so that clean strings cost one scan and no copy. Strings decoded from valid
   * UTF-8 (protobuf verifies it) cannot hold an unpaired surrogate, so only NUL is looked for
   * there, with the much faster {@code indexOf}.
   */
  static String clean(String text, boolean surrogates, Map<CharacterReplacement, Long> replaced) {
    int first = surrogates ? firstToReplace(text) : text.indexOf(0);
    if (first < 0) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length()).append(text, 0, first);
    for (int i = first; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == 0) {
        out.append(REPLACEMENT_CHARACTER);
        replaced.merge(CharacterReplacement.NUL, 1L, Long::sum);
      } else if (isPairAt(text, i)) {
        out.append(c).append(text.charAt(++i));
      } else if (Character.isSurrogate(c)) {
        out.append(REPLACEMENT_CHARACTER);
        replaced.merge(CharacterReplacement.UNPAIRED_SURROGATE, 1L, Long::sum);
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static int firstToReplace(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c != 0 && !Character.isSurrogate(c)) {
        continue;
      }
      if (isPairAt(text, i)) {
        i++;
        continue;
      }
      return i;
    }
    return -1;
  }

  private static boolean isPairAt(String text, int i) {
    return Character.isHighSurrogate(text.charAt(i))
        && i + 1 < text.length()
        && Character.isLowSurrogate(text.charAt(i + 1));
  }

  /**
   * Decodes UTF-8, replacing each malformed sequence with one U+FFFD (as {@code new String(bytes,
   * UTF_8)} does) and counting the replacements in {@code replaced[0]}.
   */
  public static String decodeUtf8(ByteString bytes, long[] replaced) {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = bytes.asReadOnlyByteBuffer();
    // UTF-8 never decodes to more chars than bytes, and a replacement stands for at least one byte.
    CharBuffer out = CharBuffer.allocate(bytes.size());
    while (true) {
      CoderResult result = decoder.decode(in, out, true);
      if (result.isUnderflow()) {
        decoder.flush(out);
        return out.flip().toString();
      }
      out.put(REPLACEMENT_CHARACTER);
      in.position(in.position() + result.length());
      replaced[0]++;
    }
  }
}
