package dev.ms365mcp.http.oauth;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * Whether an address is on the public internet: what a server-side fetch chosen by a stranger (a client
 * ID metadata document URL) may connect to. Refuses loopback, private, link-local (cloud metadata
 * services at 169.254.169.254), carrier-grade NAT, unique-local, multicast, unspecified and reserved
 * ranges, and IPv6 forms that embed an IPv4 address.
 */
final class PublicAddresses {

    private PublicAddresses() {
    }

    static boolean isPublic(InetAddress address) {
        if (address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return false;
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            return isPublicV4(b);
        }
        if (address instanceof Inet6Address) {
            int first = b[0] & 0xff;
            if ((first & 0xfe) == 0xfc) {
                return false; // fc00::/7 unique local
            }
            if (first == 0xfe && (b[1] & 0xc0) == 0xc0) {
                return false; // fec0::/10 site local (deprecated)
            }
            if (first == 0x20 && (b[1] & 0xff) == 0x01 && (b[2] & 0xff) == 0x0d && (b[3] & 0xff) == 0xb8) {
                return false; // 2001:db8::/32 documentation
            }
            if (first == 0x20 && (b[1] & 0xff) == 0x02) {
                return false; // 2002::/16 6to4 embeds an IPv4 address
            }
            if (first == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b) {
                return false; // 64:ff9b::/96 NAT64 embeds an IPv4 address
            }
            boolean leadingZeros = true;
            for (int i = 0; i < 10; i++) {
                leadingZeros &= b[i] == 0;
            }
            if (leadingZeros) {
                return false; // ::/80: IPv4-compatible and IPv4-mapped (::ffff:127.0.0.1), ::, ::1
            }
            return true;
        }
        return false;
    }

    private static boolean isPublicV4(byte[] b) {
        int a = b[0] & 0xff;
        int s = b[1] & 0xff;
        return !(a == 0 || a == 10 || a == 127 || a >= 224                 // this network, private, loopback, multicast + reserved
                || (a == 100 && s >= 64 && s <= 127)                        // 100.64/10 carrier-grade NAT
                || (a == 169 && s == 254)                                   // link local, cloud metadata
                || (a == 172 && s >= 16 && s <= 31)                         // private
                || (a == 192 && s == 168)                                   // private
                || (a == 192 && s == 0 && (b[2] & 0xff) == 0)               // 192.0.0/24 IETF protocol assignments
                || (a == 192 && s == 0 && (b[2] & 0xff) == 2)               // documentation
                || (a == 198 && (s == 18 || s == 19))                       // benchmarking
                || (a == 198 && s == 51 && (b[2] & 0xff) == 100)            // documentation
                || (a == 203 && s == 0 && (b[2] & 0xff) == 113));           // documentation
    }
}
