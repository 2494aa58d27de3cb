package io.portcullis.protocol.pg;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;

/**
 * An allocator that records the largest capacity any buffer asked of it, at allocation or on
 * growth, so a fuzz test can check that a decoder holds no more than its limit allows.
 */
public final class CountingAllocator extends AbstractByteBufAllocator {

  private final UnpooledByteBufAllocator delegate = new UnpooledByteBufAllocator(false);
  private int largest;

  public CountingAllocator() {
    super(false);
  }

  /** The largest capacity requested so far. */
  public int largest() {
    return largest;
  }

  @Override
  protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
    largest = Math.max(largest, initialCapacity);
    return delegate.heapBuffer(initialCapacity, maxCapacity);
  }

  @Override
  protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
    return newHeapBuffer(initialCapacity, maxCapacity);
  }

  @Override
  public int calculateNewCapacity(int minNewCapacity, int maxCapacity) {
    // Growth of a buffer we handed out asks here first; the request is what the decoder needs.
    largest = Math.max(largest, minNewCapacity);
    return super.calculateNewCapacity(minNewCapacity, maxCapacity);
  }

  @Override
  public boolean isDirectBufferPooled() {
    return false;
  }
}
