package io.portcullis.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.portcullis.mask.ColumnMask;
import io.portcullis.mask.DataPattern;
import io.portcullis.mask.MaskStrategy;
import io.portcullis.mask.RowMasker;
import io.portcullis.mask.TextTypes;
import io.portcullis.protocol.pg.DataRow;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What masking one DataRow of a typical customers row costs (id, name, email, card_number, ssn:
 * email redacted, ssn partial, the credit_card pattern on every column), against the unmasked
 * pass-through; and the plan bench/mask.sh gives a reader. Each operation copies the row into a
 * fresh buffer, as if it had just arrived, masks it and releases what comes out (or appends it to
 * a batch, as the gateway does). Run with {@code bench/jmh.sh MaskingBenchmark};
 * not part of the test suite.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class MaskingBenchmark {

  private static final int INT4 = 23;
  private static final int[] TYPES = {INT4, TextTypes.TEXT, TextTypes.TEXT, TextTypes.TEXT, TextTypes.TEXT};
  private static final short[] TEXT_FORMAT = new short[0];
  private static final byte[] KEY = "benchmark-hmac-key-32-bytes-long".getBytes(StandardCharsets.US_ASCII);

  // What the gateway's channels allocate from (Netty 4.2: the adaptive allocator).
  private final ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;
  private final byte[] customer = row("48213", "Alice Example", "alice.example@example.com",
      "4111 1111 1111 1111", "123-45-6789");
  private final byte[] noCard = row("48213", "Alice Example", "alice.example@example.com",
      "card on file", "123-45-6789");
  private final RowMasker unmasked = new RowMasker(
      List.of(ColumnMask.NONE, ColumnMask.NONE, ColumnMask.NONE, ColumnMask.NONE, ColumnMask.NONE),
      TYPES, TEXT_FORMAT, KEY);
  private final RowMasker masked = new RowMasker(plan(MaskStrategy.REDACT, MaskStrategy.PARTIAL), TYPES, TEXT_FORMAT, KEY);
  private final RowMasker patternsOnly = new RowMasker(plan(null, null), TYPES, TEXT_FORMAT, KEY);
  private final byte[] benchCustomer = row("48213", "Customer 48213", "customer48213@example.com",
      "4111111111111111", "313-23-6213");
  private final RowMasker reader = new RowMasker(readerRules(), TYPES, TEXT_FORMAT, KEY);
  private final ByteBuf batch = alloc.buffer(16 * 1024);
  private final byte[] emailAndText = row("customer48213@example.com", "x".repeat(200));
  private final RowMasker emailAndTextReader = new RowMasker(
      List.of(readerRules().get(2), readerRules().get(0)),
      new int[] {TextTypes.TEXT, TextTypes.TEXT}, TEXT_FORMAT, KEY);

  /**
   * The plan bench/mask.sh gives a reader: email and card_number partial, ssn redacted, and the
   * credit_card (partial) and secret (redact) patterns on every column.
   */
  private static List<ColumnMask> readerRules() {
    ColumnMask cards = ColumnMask.patterns(DataPattern.parse("credit_card"), MaskStrategy.PARTIAL);
    ColumnMask patterns = cards.merge(
        ColumnMask.patterns(DataPattern.parse(DataPattern.SECRET), MaskStrategy.REDACT));
    return List.of(patterns, patterns,
        ColumnMask.column(MaskStrategy.PARTIAL).merge(patterns),
        ColumnMask.column(MaskStrategy.PARTIAL).merge(patterns),
        ColumnMask.column(MaskStrategy.REDACT).merge(patterns));
  }

  private static List<ColumnMask> plan(MaskStrategy email, MaskStrategy ssn) {
    ColumnMask cards = ColumnMask.patterns(DataPattern.parse("credit_card"), MaskStrategy.PARTIAL);
    List<ColumnMask> plan = new ArrayList<>();
    plan.add(cards);
    plan.add(cards);
    plan.add(email == null ? cards : ColumnMask.column(email).merge(cards));
    plan.add(cards);
    plan.add(ssn == null ? cards : ColumnMask.column(ssn).merge(cards));
    return plan;
  }

  private static byte[] row(String... values) {
    List<byte[]> list = new ArrayList<>();
    for (String v : values) {
      list.add(v.getBytes(StandardCharsets.UTF_8));
    }
    ByteBuf buf = Unpooled.buffer();
    new DataRow(list).encode(buf);
    byte[] bytes = new byte[buf.readableBytes()];
    buf.readBytes(bytes);
    buf.release();
    return bytes;
  }

  private int run(RowMasker masker, byte[] frame) {
    ByteBuf in = alloc.buffer(frame.length).writeBytes(frame);
    ByteBuf out = masker.mask(in, alloc);
    int n = out.readableBytes();
    out.release();
    return n;
  }

  @TearDown
  public void releaseBatch() {
    batch.release();
  }

  /** Baseline: the row arrives and leaves untouched (no rule on any column). */
  @Benchmark
  public int unmaskedPassThrough() {
    return run(unmasked, customer);
  }

  /** Two column rules and the card pattern, which matches: a new frame is built. */
  @Benchmark
  public int maskedTwoColumnsAndCardPattern() {
    return run(masked, customer);
  }

  /** The reader plan of bench/mask.sh on a row like its customers: three columns rewritten. */
  @Benchmark
  public int readerPlan() {
    return run(reader, benchCustomer);
  }

  /** The reader plan as the gateway runs it: masked rows appended to a batch buffer. */
  @Benchmark
  public int readerPlanIntoBatch() {
    ByteBuf in = alloc.buffer(benchCustomer.length).writeBytes(benchCustomer);
    if (batch.writableBytes() < 1024) {
      batch.clear();
    }
    reader.maskInto(in, batch);
    in.release();
    return batch.writerIndex();
  }

  /** (email, repeat('x', 200)) under the reader plan: the long value is scanned, no match. */
  @Benchmark
  public int emailAndLongText() {
    return run(emailAndTextReader, emailAndText);
  }

  /** The card pattern on every column of a row with no card: scanned, returned as it is. */
  @Benchmark
  public int cardPatternNoMatch() {
    return run(patternsOnly, noCard);
  }
}
