package dev.osapimonitor.processors.engine;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * Remembers, per datagram channel, the peers it has sent to, so that only the first send to each new peer becomes a
 * span. Channels are held weakly; each remembers at most {@value #MAX_PEERS_PER_CHANNEL} peers (beyond that, sends
 * to further peers are not reported individually — a scan that wide is visible from the count alone).
 */
final class UdpPeers {

  static final int MAX_PEERS_PER_CHANNEL = 1024;

  private final Map<Object, Set<Object>> peers = new WeakHashMap<>();

  synchronized boolean firstSend(Object channel, Object peer) {
    if (channel == null || peer == null) {
      return true;
    }
    Set<Object> seen = peers.computeIfAbsent(channel, k -> new HashSet<>());
    if (seen.contains(peer)) {
      return false;
    }
    if (seen.size() >= MAX_PEERS_PER_CHANNEL) {
      return false;
    }
    seen.add(peer);
    return true;
  }
}
