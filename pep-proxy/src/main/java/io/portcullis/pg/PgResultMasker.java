package io.portcullis.pg;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.portcullis.document.SqlStatement;
import io.portcullis.mask.ColumnMask;
import io.portcullis.mask.CopyRowMasker;
import io.portcullis.mask.RowMasker;
import io.portcullis.protocol.pg.CopyOutResponse;
import io.portcullis.protocol.pg.NoticeResponse;
import io.portcullis.protocol.pg.PgFrame;
import io.portcullis.protocol.pg.RowDescription;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Masks the rows of one result set (DataRow, or CopyData of COPY TO STDOUT) as the decision's
 * rules say, field by field, after the catalog has named each field's table and column.
 */
final class PgResultMasker {

  /** Thrown when the catalog must be asked first; {@link #load} does that. */
  static final class NeedsCatalog extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient CompletableFuture<?> load;

    NeedsCatalog(CompletableFuture<?> load) {
      super(null, null, false, false);
      this.load = load;
    }

    CompletableFuture<?> load() {
      return load;
    }
  }

  private final PgMaskRules rules;
  private final List<String> maskedFields;
  private final RowMasker rowMasker;
  private final CopyRowMasker copyMasker;

  private PgResultMasker(PgMaskRules rules, List<String> maskedFields, RowMasker rowMasker,
      CopyRowMasker copyMasker) {
    this.rules = rules;
    this.maskedFields = maskedFields;
    this.rowMasker = rowMasker;
    this.copyMasker = copyMasker;
  }

  /**
   * The masker for the DataRows after {@code description}, or null when no rule touches any field.
   *
   * @throws NeedsCatalog when a field's table is not in the catalog cache yet
   */
  static PgResultMasker forRows(PgMaskRules rules, RowDescription description, PgSession session)
      throws NeedsCatalog {
    List<RowDescription.Field> fields = description.fields();
    PgCatalog catalog = session.services.catalog();
    Set<Integer> missing = new HashSet<>();
    for (RowDescription.Field f : fields) {
      if (f.tableOid() != 0 && catalog.cached(session.target, f.tableOid(), f.columnAttribute()) == null) {
        missing.add(f.tableOid());
      }
    }
    if (!missing.isEmpty()) {
      throw new NeedsCatalog(catalog.load(session.target, missing));
    }
    List<ColumnMask> plan = new ArrayList<>(fields.size());
    List<String> masked = new ArrayList<>();
    for (RowDescription.Field f : fields) {
      PgCatalog.Origin origin = f.tableOid() == 0 ? null
          : catalog.cached(session.target, f.tableOid(), f.columnAttribute());
      plan.add(columnMask(rules.forField(origin, f.name()), masked,
          origin == null || origin.column() == null ? f.name() : origin.table() + "." + origin.column()));
    }
    if (!masksAnything(plan)) {
      return null;
    }
    return new PgResultMasker(rules, masked,
        RowMasker.forRowDescription(description, plan, session.services.maskKey()), null);
  }

  /**
   * The masker for the CopyData rows of a COPY TO STDOUT, or null when no rule touches any column.
   *
   * @throws NeedsCatalog when the copied table's columns must be looked up first
   * @throws IllegalArgumentException when the COPY's rows cannot be masked (binary format)
   */
  static PgResultMasker forCopy(PgMaskRules rules, int statement, CopyOutResponse copy,
      PgSession session) throws NeedsCatalog {
    CopyRowMasker.checkMaskable(copy);
    SqlStatement stmt = statement < rules.statements().size() ? rules.statements().get(statement) : null;
    PgCopyColumns columns = PgCopyColumns.of(stmt, copy.columnFormats().length, session);
    List<ColumnMask> plan = new ArrayList<>(columns.count());
    int[] types = new int[columns.count()];
    List<String> masked = new ArrayList<>();
    for (int i = 0; i < columns.count(); i++) {
      PgCatalog.Origin origin = columns.origin(i);
      plan.add(columnMask(rules.forField(origin, origin == null ? "" : origin.column()), masked,
          origin == null ? "column " + (i + 1) : origin.table() + "." + origin.column()));
      types[i] = columns.typeOid(i);
    }
    if (!masksAnything(plan)) {
      return null;
    }
    return new PgResultMasker(rules, masked, null,
        new CopyRowMasker(plan, types, columns.format(), session.services.maskKey()));
  }

  /** Notes {@code name} among the masked columns when a column rule applies to it. */
  private static ColumnMask columnMask(ColumnMask mask, List<String> masked, String name) {
    if (mask.strategy() != null) {
      masked.add(name);
    }
    return mask;
  }

  private static boolean masksAnything(List<ColumnMask> plan) {
    return plan.stream().anyMatch(m -> !m.isNone());
  }

  /** Masks one DataRow or CopyData frame; takes ownership of it and returns what to send. */
  ByteBuf mask(PgFrame frame, ByteBufAllocator alloc) {
    return rowMasker != null ? rowMasker.mask(frame.frame(), alloc) : copyMasker.mask(frame.frame(), alloc);
  }

  /**
   * Masks one DataRow into {@code batch}, the rows waiting to be written: true if it appended the
   * masked row, false if nothing in the row changed (nothing appended; send the frame itself). The
   * caller keeps ownership of {@code frame}; {@code batch} is unchanged when this throws.
   *
   * @throws IllegalStateException when this masker is for COPY rows
   */
  boolean maskInto(PgFrame frame, ByteBuf batch) {
    if (rowMasker == null) {
      throw new IllegalStateException("COPY rows are masked one CopyData at a time");
    }
    return rowMasker.maskInto(frame.frame(), batch);
  }

  /** Whether rows are masked through {@link #maskInto} (DataRows) rather than {@link #mask}. */
  boolean batches() {
    return rowMasker != null;
  }

  /** Values masked so far. */
  long masked() {
    return rowMasker != null ? rowMasker.maskedValues() : copyMasker.maskedValues();
  }

  PgMaskRules rules() {
    return rules;
  }

  /** The notice a client gets after a statement whose values were masked. */
  NoticeResponse notice() {
    long count = masked();
    return PgErrors.notice("portcullis: " + count + (count == 1 ? " value" : " values") + " masked by policy",
        detail(), null);
  }

  private String detail() {
    List<String> patterns = rules.rules().stream().map(r -> r.pattern()).filter(p -> p != null)
        .distinct().toList();
    String columns = maskedFields.isEmpty() ? "" : "masked columns: " + String.join(", ", maskedFields);
    String found = patterns.isEmpty() ? "" : "data patterns masked wherever they appear: "
        + String.join(", ", patterns);
    return columns.isEmpty() ? found : found.isEmpty() ? columns : columns + "; " + found;
  }
}
