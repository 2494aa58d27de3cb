package io.portcullis.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.document.SftpOperation;
import io.portcullis.document.SshRequest;
import io.portcullis.json.Json;
import io.portcullis.shell.ShellParser;
import org.junit.jupiter.api.Test;

/** The request document's ssh part, as policies see it: snake_case, every field, nulls as null. */
class SshRequestJsonTest {

  private static String json(Object o) throws Exception {
    return Json.mapper().writeValueAsString(o);
  }

  @Test
  void execCarriesTheLineItsArgvAndWhatMadeItNotPlain() throws Exception {
    assertThat(json(SshRequest.exec(ShellParser.parse("cat '/var/log/a b'"), "portcullis"))).isEqualTo(
        "{\"kind\":\"exec\",\"command\":\"cat '/var/log/a b'\",\"argv\":[\"cat\",\"/var/log/a b\"],"
            + "\"plain\":true,\"constructs\":[],\"remote_user\":\"portcullis\",\"pty\":null,"
            + "\"subsystem\":null,\"sftp\":null,\"env\":null,\"forward\":null}");
    assertThat(json(SshRequest.exec(ShellParser.parse("ls | sh"), "portcullis")))
        .contains("\"argv\":[],\"plain\":false,\"constructs\":[\"pipe\"]");
  }

  @Test
  void otherKindsCarryTheirOwnObject() throws Exception {
    assertThat(json(SshRequest.shell(new SshRequest.Pty("xterm", 80, 24), "u")))
        .contains("\"kind\":\"shell\",\"command\":null,\"argv\":null,\"plain\":null,\"constructs\":null")
        .contains("\"pty\":{\"term\":\"xterm\",\"cols\":80,\"rows\":24}");
    assertThat(json(SshRequest.env("LANG", "C", "u"))).contains("\"env\":{\"name\":\"LANG\",\"value\":\"C\"}");
    assertThat(json(SshRequest.portForward(new SshRequest.Forward("local", "127.0.0.1", 5432), "u")))
        .contains("\"kind\":\"port_forward\"").contains("\"forward\":{\"direction\":\"local\",\"host\":\"127.0.0.1\",\"port\":5432}");
    assertThat(json(SshRequest.subsystem("sftp", "u"))).contains("\"kind\":\"subsystem\"").contains("\"subsystem\":\"sftp\"");
    assertThat(json(SshRequest.sftp(new SftpOperation("rename", "/srv/upload/a", "/srv/upload/b", null, null), "u")))
        .contains("\"sftp\":{\"operation\":\"rename\",\"path\":\"/srv/upload/a\",\"target_path\":\"/srv/upload/b\","
            + "\"access\":null,\"extension\":null}");
    assertThat(json(SshRequest.agentForward("u"))).startsWith("{\"kind\":\"agent_forward\"");
    assertThat(json(SshRequest.x11Forward("u"))).startsWith("{\"kind\":\"x11_forward\"");
  }
}
