package io.portcullis.protocol.sftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SftpPathsTest {

  @ParameterizedTest
  @CsvSource({
      "/srv/data/a.txt, /srv/data/a.txt",
      "//srv///data//, /srv/data",
      "/srv/./data/., /srv/data",
      "/srv/upload/../../etc/passwd, /etc/passwd",
      "/../../.., /",
      "/, /",
      "/a/b/.., /a",
      "/a/..., /a/...",
      "/a/..b, /a/..b",
  })
  void absolutePaths(String in, String out) {
    assertThat(SftpPaths.normalize(in, "/home/u")).isEqualTo(out);
  }

  @ParameterizedTest
  @CsvSource({
      "upload/f, /home/u/upload/f",
      "., /home/u",
      "'', /home/u",
      "../../etc/shadow, /etc/shadow",
      "upload/../../u2/x, /home/u2/x",
      "~/x, /home/u/~/x",
  })
  void relativePathsAgainstTheHome(String in, String out) {
    assertThat(SftpPaths.normalize(in, "/home/u")).isEqualTo(out);
  }

  @Test
  void nulIsRefused() {
    assertThatThrownBy(() -> SftpPaths.normalize("/a\0b", "/"))
        .isInstanceOf(SftpProtocolException.class)
        .hasMessage("path: contains NUL (expected: none)");
  }

  @Test
  void aRelativeHomeIsRefused() {
    assertThatThrownBy(() -> SftpPaths.normalize("x", "home"))
        .isInstanceOf(SftpProtocolException.class)
        .hasMessage("home: relative (expected: an absolute path)");
  }

  @Test
  void isUnderComparesWholeComponents() {
    assertThat(SftpPaths.isUnder("/srv/upload/x", "/srv/upload")).isTrue();
    assertThat(SftpPaths.isUnder("/srv/upload", "/srv/upload")).isTrue();
    assertThat(SftpPaths.isUnder("/srv/uploads/x", "/srv/upload")).isFalse();
    assertThat(SftpPaths.isUnder("/x", "/")).isTrue();
  }
}
