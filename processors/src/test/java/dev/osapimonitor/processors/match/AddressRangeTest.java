package dev.osapimonitor.processors.match;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class AddressRangeTest {

  @Test
  void ipv4AndIpv6Ranges() throws Exception {
    AddressRange ten = AddressRange.parse("10.0.0.0/8");
    assertThat(ten.contains(InetAddress.getByName("10.200.1.2"))).isTrue();
    assertThat(ten.contains(InetAddress.getByName("11.0.0.1"))).isFalse();
    assertThat(ten.contains(InetAddress.getByName("::ffff:10.1.2.3"))).isTrue();
    assertThat(AddressRange.parse("192.168.1.128/25").contains(InetAddress.getByName("192.168.1.200"))).isTrue();
    assertThat(AddressRange.parse("192.168.1.128/25").contains(InetAddress.getByName("192.168.1.20"))).isFalse();
    assertThat(AddressRange.parse("::1").contains(InetAddress.getByName("::1"))).isTrue();
    assertThat(AddressRange.parse("fd00::/8").contains(InetAddress.getByName("fd12::1"))).isTrue();
    assertThat(AddressRange.parse("0.0.0.0/0").contains(InetAddress.getByName("8.8.8.8"))).isTrue();
  }

  @Test
  void hostNamesAreNotAddresses() {
    assertThat(AddressRange.looksLikeAddress("plc-01.plant.local")).isFalse();
    assertThat(AddressRange.looksLikeAddress("10.1.2.3")).isTrue();
    assertThat(AddressRange.looksLikeAddress("fe80::1")).isTrue();
  }
}
