package io.portcullis.protocol.pg;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;

class LeakCheckTest {

  @Test
  void leakCheckSeesABufferThatWasNeverReleased() throws InterruptedException {
    new LeakCheck().beforeAll(null);
    LeakCheck.collect();
    leakOneBuffer();
    assertThat(LeakCheck.collect()).anySatisfy(leak -> assertThat(leak).contains("LEAK:"));
  }

  private static void leakOneBuffer() {
    // Pooled buffers are tracked (unpooled heap ones are not); this one is never released.
    PooledByteBufAllocator.DEFAULT.heapBuffer(16).writeInt(42);
  }
}
