package dev.osapimonitor.processors.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.osapimonitor.processors.policy.Scope;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ConditionTest {

  private static Condition flag() {
    return new Condition("f", Condition.Kind.FLAG, "jmx", "why", "me", "", -1L, Scope.PROCESS, null,
        Instant.now(), null, null);
  }

  @Test
  void noCallIsCountedAfterTheConditionEnded() {
    Condition c = flag();
    assertThat(c.claim()).isTrue();
    assertThat(c.claim()).isTrue();
    assertThat(c.end()).isEqualTo(2);
    assertThat(c.claim()).isFalse();
    assertThat(c.capturedCount()).isEqualTo(2);
  }

  @Test
  void theCountAtTheEndIsEveryClaimThatSucceededWhileThreadsRace() throws Exception {
    for (int round = 0; round < 50; round++) {
      Condition c = flag();
      AtomicLong succeeded = new AtomicLong();
      CountDownLatch go = new CountDownLatch(1);
      Thread[] threads = new Thread[4];
      for (int i = 0; i < threads.length; i++) {
        threads[i] = new Thread(() -> {
          try {
            go.await();
          } catch (InterruptedException e) {
            return;
          }
          for (int n = 0; n < 10_000; n++) {
            if (c.claim()) {
              succeeded.incrementAndGet();
            }
          }
        });
        threads[i].start();
      }
      go.countDown();
      Thread.sleep(1);
      long atEnd = c.end();
      for (Thread t : threads) {
        t.join();
      }
      assertThat(atEnd).isEqualTo(succeeded.get());
    }
  }
}
