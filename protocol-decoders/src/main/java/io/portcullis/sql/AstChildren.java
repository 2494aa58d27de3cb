package io.portcullis.sql;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The children of any JSqlParser AST node, found by reflection over its fields: the analysis uses
 * it to walk node types it does not handle by name, so a column inside a construct it does not
 * know still counts (as {@code expression}) rather than hiding from policy.
 */
final class AstChildren {

  private static final String AST_PACKAGE = "net.sf.jsqlparser.";
  private static final String PARSER_PACKAGE = "net.sf.jsqlparser.parser.";

  private static final ClassValue<List<Field>> FIELDS = new ClassValue<>() {
    @Override
    protected List<Field> computeValue(Class<?> type) {
      List<Field> fields = new ArrayList<>();
      for (Class<?> c = type; c != null && c.getName().startsWith(AST_PACKAGE); c = c.getSuperclass()) {
        for (Field field : c.getDeclaredFields()) {
          Class<?> t = field.getType();
          if (Modifier.isStatic(field.getModifiers()) || t.isPrimitive() || t == String.class
              || t.isEnum() || t.getName().startsWith(PARSER_PACKAGE)) {
            continue;
          }
          // Fails on a module path that does not open JSqlParser: the analysis then fails closed.
          field.setAccessible(true);
          fields.add(field);
        }
      }
      return List.copyOf(fields);
    }
  };

  private AstChildren() {}

  /** Calls {@code action} with each child of {@code node} that may hold AST nodes. */
  static void forEach(Object node, Consumer<Object> action) {
    switch (node) {
      case null -> {}
      case Collection<?> items -> items.forEach(child -> visit(child, action));
      case Map<?, ?> map -> map.forEach((k, v) -> {
        visit(k, action);
        visit(v, action);
      });
      case Object[] items -> {
        for (Object child : items) {
          visit(child, action);
        }
      }
      default -> {}
    }
    if (node == null || !isAst(node)) {
      return;
    }
    for (Field field : FIELDS.get(node.getClass())) {
      try {
        visit(field.get(node), action);
      } catch (IllegalAccessException e) {
        throw new IllegalStateException("cannot read " + field, e);
      }
    }
  }

  private static void visit(Object child, Consumer<Object> action) {
    if (child != null && (child instanceof Collection<?> || child instanceof Map<?, ?>
        || child instanceof Object[] || isAst(child))) {
      action.accept(child);
    }
  }

  private static boolean isAst(Object node) {
    String name = node.getClass().getName();
    return name.startsWith(AST_PACKAGE) && !name.startsWith(PARSER_PACKAGE);
  }
}
