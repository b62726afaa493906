package chat.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LoopAndNamesTest {
  @Test
  void aFullLoopMakesThePosterWaitAndDropsNothing() throws Exception {
    Loop loop = new Loop("test-loop", 2);
    CountDownLatch release = new CountDownLatch(1);
    List<Integer> ran = new CopyOnWriteArrayList<>();
    loop.post(() -> {
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      ran.add(0);
    });
    Thread.sleep(100); // the first task is running, so the queue is empty
    loop.post(() -> ran.add(1));
    loop.post(() -> ran.add(2));
    assertThat(loop.waiting()).isEqualTo(2);
    CountDownLatch posted = new CountDownLatch(1);
    Thread poster = new Thread(() -> {
      loop.post(() -> ran.add(3));
      posted.countDown();
    });
    poster.start();
    assertThat(posted.await(300, TimeUnit.MILLISECONDS)).as("the poster waits while the queue is full").isFalse();
    release.countDown();
    assertThat(posted.await(5, TimeUnit.SECONDS)).isTrue();
    loop.shutdown(5000);
    assertThat(ran).containsExactly(0, 1, 2, 3);
    loop.post(() -> ran.add(4));
    assertThat(ran).as("after shutdown a post is dropped, not an error").hasSize(4);
  }

  @Test
  void namesForgetTheLeastRecentlyUsedPastTheBound() {
    Names names = new Names(2);
    names.put(1, "alice");
    names.put(2, "bob");
    assertThat(names.get(1)).isEqualTo("alice"); // 2 is now the least recently used
    names.put(3, "carol");
    assertThat(names.size()).isEqualTo(2);
    assertThat(names.get(2)).isNull();
    assertThat(names.get(1)).isEqualTo("alice");
    names.put(null, "x");
    names.put(4, null);
    assertThat(names.size()).isEqualTo(2);
  }
}
