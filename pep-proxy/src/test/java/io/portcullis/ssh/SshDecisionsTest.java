package io.portcullis.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.document.SshRequest;
import io.portcullis.mask.DataPattern;
import io.portcullis.mask.MaskStrategy;
import io.portcullis.policy.Decision;
import io.portcullis.policy.PolicyVerdict;
import io.portcullis.shell.ShellParser;
import java.util.List;
import org.junit.jupiter.api.Test;

class SshDecisionsTest {

  private static PolicyVerdict allow(List<Decision.MaskRule> mask, Decision.Approval approval, String record) {
    return new PolicyVerdict(new Decision(true, List.of(), mask, approval, record, List.of(), null, false),
        "d1", "r1", PolicyVerdict.Source.OPA, 1000);
  }

  @Test
  void patternMasksBecomeOutputMasksTheStricterWinning() {
    SshEnforced e = SshDecisions.enforce(allow(List.of(
        new Decision.MaskRule(null, null, "credit_card", null, "partial"),
        new Decision.MaskRule(null, null, "secret", null, "redact"),
        new Decision.MaskRule(null, null, "credit_card", null, "redact")), null, "full"), 3, false);
    assertThat(e.allowed()).isTrue();
    assertThat(e.recordFull()).isTrue();
    assertThat(e.masks()).containsEntry(DataPattern.CREDIT_CARD, MaskStrategy.REDACT)
        .containsEntry(DataPattern.AWS_ACCESS_KEY, MaskStrategy.REDACT)
        .containsEntry(DataPattern.JWT, MaskStrategy.REDACT)
        .containsEntry(DataPattern.PRIVATE_KEY, MaskStrategy.REDACT);
  }

  @Test
  void aMaskTheGatewayCannotApplyToOutputIsADenial() {
    SshEnforced column = SshDecisions.enforce(allow(List.of(
        new Decision.MaskRule("users", "email", null, null, "redact")), null, null), 1, false);
    assertThat(column.allowed()).isFalse();
    assertThat(column.reasons()).startsWith("the policy asks for masking the gateway cannot apply");
    assertThat(column.masks()).isEmpty();
    SshEnforced unknown = SshDecisions.enforce(allow(List.of(
        new Decision.MaskRule(null, null, "shoe_size", null, "redact")), null, null), 1, false);
    assertThat(unknown.allowed()).isFalse();
  }

  @Test
  void anApprovalNotGrantedIsADenial() {
    var approval = new Decision.Approval(true, List.of("group:ops"), 60, "needs ops");
    assertThat(SshDecisions.enforce(allow(List.of(), approval, null), 1, false).allowed()).isFalse();
    assertThat(SshDecisions.enforce(allow(List.of(), approval, null), 1, true).allowed()).isTrue();
  }

  @Test
  void theDecisionLogNamesTheCommandButNotItsArguments() {
    String line = SshDecisions.describe(SshRequest.exec(ShellParser.parse("mysql -psecret db"), "u"));
    assertThat(line).startsWith("exec mysql sha256:").endsWith(" length:17").doesNotContain("secret");
    assertThat(SshDecisions.describe(SshRequest.env("AWS_SECRET", "x", "u"))).isEqualTo("env AWS_SECRET");
  }
}
