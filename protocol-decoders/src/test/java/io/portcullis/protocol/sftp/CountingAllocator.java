package io.portcullis.protocol.sftp;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;

/** An allocator that records the largest capacity asked of it, for the fuzz test's bound. */
final class CountingAllocator extends AbstractByteBufAllocator {

  private final UnpooledByteBufAllocator delegate = new UnpooledByteBufAllocator(false);
  private int largest;

  CountingAllocator() {
    super(false);
  }

  int largest() {
    return largest;
  }

  @Override
  protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
    largest = Math.max(largest, Math.max(initialCapacity, 0));
    return delegate.heapBuffer(initialCapacity, maxCapacity);
  }

  @Override
  protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
    return newHeapBuffer(initialCapacity, maxCapacity);
  }

  @Override
  public int calculateNewCapacity(int minNewCapacity, int maxCapacity) {
    largest = Math.max(largest, minNewCapacity);
    return super.calculateNewCapacity(minNewCapacity, maxCapacity);
  }

  @Override
  public boolean isDirectBufferPooled() {
    return false;
  }
}
