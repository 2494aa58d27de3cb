package io.portcullis.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class OpaProcessTest {

  @Test
  void refusesAnAddressSomethingAlreadyListensOn() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      var managed = new OpaSettings.ManagedOpa("opa", "policies", null,
          "127.0.0.1:" + taken.getLocalPort(), null);
      assertThatThrownBy(() -> OpaProcess.start(managed)).isInstanceOf(IOException.class)
          .hasMessageContaining("is already in use");
    }
  }

  @Test
  void startsOpaWithoutTelemetryAndWithDecisionIds() {
    var managed = new OpaSettings.ManagedOpa("/opt/opa", "policies", null, "127.0.0.1:8181", null);
    assertThat(OpaProcess.command(managed)).contains("--disable-telemetry")
        .containsSequence("--set", "decision_logs.console=true").endsWith("policies");
  }
}
