package io.portcullis.http;

import java.util.Locale;

/** Media types as the gateway compares them. */
public final class HttpMedia {

  private HttpMedia() {}

  /** The media type of a Content-Type value, lower-case, without parameters; null for null. */
  public static String mediaType(String contentType) {
    if (contentType == null) {
      return null;
    }
    int semi = contentType.indexOf(';');
    return (semi < 0 ? contentType : contentType.substring(0, semi)).strip().toLowerCase(Locale.ROOT);
  }

  /** Whether a media type (from {@link #mediaType}) is JSON: {@code application/json} or {@code +json}. */
  public static boolean isJson(String mediaType) {
    return mediaType != null && (mediaType.equals("application/json") || mediaType.endsWith("+json"));
  }
}
