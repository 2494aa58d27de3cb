package io.portcullis.pg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portcullis.mask.ColumnMask;
import io.portcullis.mask.DataPattern;
import io.portcullis.mask.MaskStrategy;
import io.portcullis.policy.Decision;
import java.util.List;
import org.junit.jupiter.api.Test;

class PgMaskRulesTest {

  private static final PgCatalog.Origin EMAIL = new PgCatalog.Origin("public", "customers", "email");
  private static final PgCatalog.Origin ORDERS_EMAIL = new PgCatalog.Origin("public", "orders", "email");

  private static PgMaskRules rules(Decision.MaskRule... rules) {
    return PgMaskRules.of(new Decision(true, List.of(), List.of(rules), null, null, List.of(), null, true),
        List.of());
  }

  private static Decision.MaskRule column(String table, String column, String strategy) {
    return new Decision.MaskRule(table, column, null, null, strategy);
  }

  @Test
  void aTableAndColumnRuleMatchesOnlyThatTablesColumn() {
    PgMaskRules r = rules(column("customers", "email", "partial"));
    assertThat(r.forField(EMAIL, "contact").strategy()).isEqualTo(MaskStrategy.PARTIAL);
    assertThat(r.forField(ORDERS_EMAIL, "email").isNone()).isTrue();
    assertThat(r.forField(new PgCatalog.Origin("public", "customers", "name"), "email").isNone()).isTrue();
  }

  @Test
  void aSchemaQualifiedRuleNeedsTheSchemaToo() {
    PgMaskRules r = rules(column("public.customers", "email", "redact"));
    assertThat(r.forField(EMAIL, "email").strategy()).isEqualTo(MaskStrategy.REDACT);
    assertThat(r.forField(new PgCatalog.Origin("audit", "customers", "email"), "email").isNone()).isTrue();
  }

  @Test
  void aBareColumnRuleMatchesEveryTableAndComputedValuesOfThatName() {
    PgMaskRules r = rules(column(null, "email", "hash"));
    assertThat(r.forField(EMAIL, "x").strategy()).isEqualTo(MaskStrategy.HASH);
    assertThat(r.forField(ORDERS_EMAIL, "x").strategy()).isEqualTo(MaskStrategy.HASH);
    assertThat(r.forField(null, "EMAIL").strategy()).isEqualTo(MaskStrategy.HASH);
    assertThat(r.forField(null, "other").isNone()).isTrue();
  }

  @Test
  void theStricterStrategyWinsAndPatternsApplyToEveryField() {
    PgMaskRules r = rules(column("customers", "email", "partial"), column(null, "email", "null"),
        new Decision.MaskRule(null, null, "secret", null, "redact"),
        new Decision.MaskRule(null, null, "credit_card", null, "partial"));
    ColumnMask email = r.forField(EMAIL, "email");
    assertThat(email.strategy()).isEqualTo(MaskStrategy.NULL);
    ColumnMask other = r.forField(null, "note");
    assertThat(other.strategy()).isNull();
    assertThat(other.patterns()).containsEntry(DataPattern.JWT, MaskStrategy.REDACT)
        .containsEntry(DataPattern.CREDIT_CARD, MaskStrategy.PARTIAL).hasSize(4);
  }

  @Test
  void rulesTheGatewayCannotApplyAreRefusedSoTheRequestIsDenied() {
    assertThatThrownBy(() -> rules(new Decision.MaskRule(null, null, null, "$.card", "redact")))
        .hasMessageContaining("names neither a column nor a pattern");
    assertThatThrownBy(() -> rules(column("customers", "email", "scramble")))
        .hasMessageContaining("strategy: scramble (expected: one of redact, partial, hash, null)");
    assertThatThrownBy(() -> rules(new Decision.MaskRule(null, null, "passport", null, "redact")))
        .hasMessageContaining("pattern: passport");
  }

  @Test
  void noRulesIsNone() {
    assertThat(PgMaskRules.of(Decision.deny("x"), List.of())).isSameAs(PgMaskRules.NONE);
  }
}
