package io.portcullis.audit;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Names, lists and reads segment files: {@code segment-<first seq, 20 digits>.jsonl}. */
public final class SegmentFiles {

  private static final Pattern NAME = Pattern.compile("segment-(\\d{20})\\.jsonl");

  private SegmentFiles() {}

  /** The file name of a segment whose first record is {@code firstSeq}. */
  public static String name(long firstSeq) {
    return String.format("segment-%020d.jsonl", firstSeq);
  }

  /** The first seq encoded in a segment file name, or -1 when it is not a segment. */
  public static long firstSeq(Path file) {
    Matcher m = NAME.matcher(file.getFileName().toString());
    return m.matches() ? Long.parseLong(m.group(1)) : -1;
  }

  /** The segment files in {@code dir}, oldest first; empty when the directory does not exist. */
  public static List<Path> list(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> firstSeq(f) >= 0).sorted().toList();
    }
  }

  /**
   * One line of a segment file.
   *
   * @param file the segment file
   * @param lineNo line number, from 1
   * @param text the line without its newline
   * @param complete false for a last line without newline (a write cut short)
   */
  public record Line(Path file, long lineNo, String text, boolean complete) {}

  /** Feeds every line of {@code file} to {@code sink}, in order. */
  public static void read(Path file, Consumer<Line> sink) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    boolean endsWithNewline = bytes.length > 0 && bytes[bytes.length - 1] == '\n';
    List<String> lines = new ArrayList<>();
    try (BufferedReader reader = new BufferedReader(new java.io.StringReader(
        new String(bytes, StandardCharsets.UTF_8)))) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        lines.add(line);
      }
    }
    for (int i = 0; i < lines.size(); i++) {
      boolean last = i == lines.size() - 1;
      sink.accept(new Line(file, i + 1, lines.get(i), !last || endsWithNewline));
    }
  }
}
