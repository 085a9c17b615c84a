package dev.osapimonitor.processors.match;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** An IPv4 or IPv6 network in CIDR notation ({@code 10.0.0.0/8}, {@code ::1/128}); a bare address is a /32 or /128. */
public final class AddressRange {

  private final byte[] network;
  private final int prefix;
  private final String text;

  private AddressRange(byte[] network, int prefix, String text) {
    this.network = network;
    this.prefix = prefix;
    this.text = text;
  }

  /** True when {@code text} looks like an address or CIDR rather than a host name glob. */
  public static boolean looksLikeAddress(String text) {
    String s = text.trim();
    if (s.indexOf(':') >= 0) {
      return true; // IPv6 (host names cannot contain ':')
    }
    int slash = s.indexOf('/');
    String address = slash < 0 ? s : s.substring(0, slash);
    if (address.isEmpty()) {
      return false;
    }
    for (int i = 0; i < address.length(); i++) {
      char c = address.charAt(i);
      if (!(c == '.' || (c >= '0' && c <= '9'))) {
        return false;
      }
    }
    return true;
  }

  /** @throws IllegalArgumentException with a message suitable for a policy error */
  public static AddressRange parse(String text) {
    String s = text.trim();
    int slash = s.indexOf('/');
    String address = slash < 0 ? s : s.substring(0, slash);
    byte[] bytes = literalBytes(address);
    if (bytes == null) {
      throw new IllegalArgumentException("not an IP address or CIDR: '" + text + "'");
    }
    int prefix = bytes.length * 8;
    if (slash >= 0) {
      try {
        prefix = Integer.parseInt(s.substring(slash + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("invalid CIDR prefix in '" + text + "'");
      }
      if (prefix < 0 || prefix > bytes.length * 8) {
        throw new IllegalArgumentException(
            "CIDR prefix out of range (0-" + bytes.length * 8 + ") in '" + text + "'");
      }
    }
    return new AddressRange(bytes, prefix, s);
  }

  /** Parses an address literal without ever resolving a name (InetAddress.getByName would). */
  private static byte[] literalBytes(String address) {
    if (address.isEmpty()) {
      return null;
    }
    if (address.indexOf(':') >= 0) {
      String inner = address.startsWith("[") && address.endsWith("]")
          ? address.substring(1, address.length() - 1)
          : address;
      for (int i = 0; i < inner.length(); i++) {
        char c = inner.charAt(i);
        boolean hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
        if (!hex && c != ':' && c != '.') {
          return null;
        }
      }
      try {
        return InetAddress.getByName(inner).getAddress(); // a literal: no lookup happens
      } catch (UnknownHostException e) {
        return null;
      }
    }
    String[] parts = address.split("\\.", -1);
    if (parts.length != 4) {
      return null;
    }
    byte[] bytes = new byte[4];
    for (int i = 0; i < 4; i++) {
      if (parts[i].isEmpty() || parts[i].length() > 3) {
        return null;
      }
      int v;
      try {
        v = Integer.parseInt(parts[i]);
      } catch (NumberFormatException e) {
        return null;
      }
      if (v > 255) {
        return null;
      }
      bytes[i] = (byte) v;
    }
    return bytes;
  }

  public boolean contains(InetAddress address) {
    if (address == null) {
      return false;
    }
    byte[] bytes = address.getAddress();
    if (bytes.length != network.length) {
      // An IPv4-mapped IPv6 address (::ffff:a.b.c.d) against an IPv4 range.
      if (bytes.length == 16 && network.length == 4 && isV4Mapped(bytes)) {
        byte[] v4 = new byte[4];
        System.arraycopy(bytes, 12, v4, 0, 4);
        bytes = v4;
      } else {
        return false;
      }
    }
    int full = prefix / 8;
    for (int i = 0; i < full; i++) {
      if (bytes[i] != network[i]) {
        return false;
      }
    }
    int rest = prefix % 8;
    if (rest == 0) {
      return true;
    }
    int mask = (0xFF << (8 - rest)) & 0xFF;
    return (bytes[full] & mask) == (network[full] & mask);
  }

  private static boolean isV4Mapped(byte[] b) {
    for (int i = 0; i < 10; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return (b[10] & 0xFF) == 0xFF && (b[11] & 0xFF) == 0xFF;
  }

  @Override
  public String toString() {
    return text;
  }
}
