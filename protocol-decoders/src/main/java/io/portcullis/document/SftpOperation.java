package io.portcullis.document;

import static java.util.Objects.requireNonNull;

/**
 * One SFTP file operation, as the request document's {@code sftp} object carries it.
 *
 * @param operation {@code open}, {@code opendir}, {@code remove}, {@code rename}, {@code mkdir},
 *     {@code rmdir}, {@code setstat}, {@code symlink}, {@code link}, {@code stat}, {@code realpath},
 *     {@code readlink} or {@code extended}
 * @param path the absolute, normalised path operated on
 * @param targetPath the second path of {@code rename}, {@code symlink} and {@code link}, else null
 * @param access {@code read} or {@code write} for {@code open}, else null
 * @param extension the extension's name for {@code extended}, else null
 */
public record SftpOperation(String operation, String path, String targetPath, String access,
    String extension) {

  public SftpOperation {
    requireNonNull(operation, "operation");
  }
}
