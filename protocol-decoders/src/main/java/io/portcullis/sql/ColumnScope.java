package io.portcullis.sql;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The relations one query level can see: its FROM items, the CTEs in scope, and through
 * {@code parent} every enclosing level (for correlated references).
 */
final class ColumnScope {

  /** A FROM item. */
  sealed interface Relation permits Base, Derived, Opaque {
    /** The name the query refers to it by: its alias, or its own name. */
    String visibleName();
  }

  /**
   * A base table.
   *
   * @param renamed whether its alias renames columns ({@code customers AS c(a, b)}), so column
   *     names seen through it are not the table's own
   */
  record Base(String schema, String name, String alias, boolean renamed) implements Relation {
    @Override
    public String visibleName() {
      return alias != null ? alias : name;
    }
  }

  /**
   * A subquery in FROM or a CTE reference.
   *
   * @param renamed whether the reference renames the columns, so any name may reach the source
   */
  record Derived(String alias, Source source, boolean renamed) implements Relation {
    @Override
    public String visibleName() {
      return alias;
    }

    boolean mayHave(String column) {
      return renamed || source.open || source.names.contains(column);
    }
  }

  /** A table function, VALUES list or other FROM item whose columns are not a base table's. */
  record Opaque(String alias) implements Relation {
    @Override
    public String visibleName() {
      return alias;
    }
  }

  /**
   * The body of a subquery in FROM or of a CTE: the names of its result columns, and whether any
   * reference to it uses them other than as bare projections (then its select list counts as
   * {@code expression}).
   */
  static final class Source {
    final Set<String> names;
    final boolean open;
    boolean tainted;

    /**
     * @param names the result column names (aliases, or bare column names)
     * @param open whether a result column's name is unknown ({@code *}), so any name may match
     */
    Source(Set<String> names, boolean open) {
      this.names = Set.copyOf(names);
      this.open = open;
    }
  }

  final ColumnScope parent;
  final List<Relation> relations = new ArrayList<>();
  private final Map<String, Source> ctes = new HashMap<>();

  ColumnScope(ColumnScope parent) {
    this.parent = parent;
  }

  void addCte(String name, Source source) {
    ctes.put(name, source);
  }

  /** The CTE an unqualified table name refers to, innermost first, or null. */
  Source cte(String name) {
    for (ColumnScope s = this; s != null; s = s.parent) {
      Source source = s.ctes.get(name);
      if (source != null) {
        return source;
      }
    }
    return null;
  }

  /**
   * The relation a qualifier names, innermost level first: by alias or visible name, then (more
   * generously than PostgreSQL) by a base table's own name; null when none matches.
   */
  Relation qualified(String schema, String name) {
    for (ColumnScope s = this; s != null; s = s.parent) {
      for (Relation r : s.relations) {
        if (r.visibleName() != null && r.visibleName().equals(name)
            && (schema == null || (r instanceof Base b && schema.equals(b.schema())))) {
          return r;
        }
      }
      for (Relation r : s.relations) {
        if (r instanceof Base b && b.name().equals(name)
            && (schema == null || schema.equals(b.schema()))) {
          return r;
        }
      }
    }
    return null;
  }

  /** Every relation visible here, this level first. */
  List<Relation> visible() {
    List<Relation> all = new ArrayList<>();
    for (ColumnScope s = this; s != null; s = s.parent) {
      all.addAll(s.relations);
    }
    return all;
  }
}
