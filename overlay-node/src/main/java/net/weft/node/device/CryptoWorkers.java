package net.weft.node.device;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import net.weft.crypto.primitive.ChaChaPoly;

/**
 * Optional parallel crypto ({@link DeviceOptions#cryptoWorkers()} above 0), after wireguard-go's
 * parallel queue plus per-peer sequential queue, with one ordered ring per direction instead, and
 * a third for forwarded packets:
 *
 * <ol>
 *   <li>The producer (the TUN reader outbound, the bind's receive thread inbound, the inbound
 *       ring's completer for forwarding; one thread at a time per ring) fills the next slot, runs
 *       the sequential first stage (routing, session, counter) and publishes it.
 *   <li>Worker threads claim published slots in any order and seal or open them.
 *   <li>Whoever finishes a slot then completes every finished slot at the head of the ring, in
 *       ring order, under the ring's completion flag: send to the bind (and flush once per batch),
 *       or the replay check and TUN write.
 * </ol>
 *
 * Completing in ring order keeps the global order of packets, so every peer's order too. A full
 * ring makes its producer wait (back-pressure to the TUN or the socket), never drops. The forward
 * ring's producer is itself a worker completing inbound packets, so while it waits for a free slot
 * it seals and sends forward slots itself: with one worker, nobody else would.
 *
 * <p>Ownership: slot contents belong to the producer while FREE, to one worker while FILLED and
 * claimed, to the completer while DONE. {@code tail} is written by the producer only, {@code claim}
 * by workers (CAS), {@code head} under the completion flag only. Workers park when all rings are
 * empty; producers unpark one parked worker after publishing, and completers unpark a producer
 * waiting for a free slot. Nothing is allocated per packet.
 */
final class CryptoWorkers {

    /** Outbound slots read a whole TUN packet in place: few and large. */
    static final int OUTBOUND_SLOTS = 64;
    /** Inbound slots are copies of datagrams, sized on demand. */
    static final int INBOUND_SLOTS = 256;
    /** Forward slots are copies of decrypted packets, sized on demand. */
    static final int FORWARD_SLOTS = 64;

    /** One direction's ring. */
    abstract static class Ring {
        private final Packet[] slots;
        private final int mask;
        /** Next slot the producer fills; written by the producer only. */
        private final AtomicLong tail = new AtomicLong();
        /** Next slot a worker claims. */
        private final AtomicLong claim = new AtomicLong();
        /** Next slot to complete; guarded by {@link #completing}. */
        private volatile long head;
        private final AtomicBoolean completing = new AtomicBoolean();
        private final CryptoWorkers owner;
        private volatile Thread waitingProducer;

        Ring(CryptoWorkers owner, int size, int bufferSize) {
            this.owner = owner;
            this.slots = new Packet[size];
            this.mask = size - 1;
            for (int i = 0; i < size; i++) {
                slots[i] = bufferSize > 0 ? Packet.withBuffer(bufferSize) : new Packet();
            }
        }

        /**
         * Producer: the slot to fill next, once it is free; null when the device closes. Until
         * {@link #publish}ed, the same slot is returned again.
         */
        Packet nextFree() {
            return nextFree(null);
        }

        /** {@link #nextFree()}, processing published slots on this thread while waiting when {@code helper} is set. */
        Packet nextFree(ChaChaPoly helper) {
            Packet p = slots[(int) (tail.get() & mask)];
            while (p.state != Packet.FREE) {
                if (owner.stopping || owner.device.isClosing()) {
                    return null;
                }
                if (helper != null && runOne(helper)) {
                    continue;
                }
                waitingProducer = Thread.currentThread();
                if (p.state != Packet.FREE) {
                    LockSupport.parkNanos(1_000_000L);
                }
                waitingProducer = null;
            }
            return p;
        }

        /** Producer: hands the filled slot to the workers. */
        void publish(Packet p) {
            p.state = Packet.FILLED;
            tail.incrementAndGet();
            owner.wakeOne();
        }

        boolean hasWork() {
            return claim.get() < tail.get();
        }

        /** Worker: processes one published slot if there is one; false when there was none. */
        boolean runOne(ChaChaPoly aead) {
            long i = claim.get();
            if (i >= tail.get()) {
                return false;
            }
            if (!claim.compareAndSet(i, i + 1)) {
                return true;
            }
            Packet p = slots[(int) (i & mask)];
            try {
                process(p, aead);
            } catch (RuntimeException e) {
                p.result = -2;
                owner.device.internalError(e);
            }
            p.state = Packet.DONE;
            completeInOrder();
            return true;
        }

        /** Completes finished slots at the head, in order; whoever gets the flag does it. */
        void completeInOrder() {
            while (true) {
                if (!completing.compareAndSet(false, true)) {
                    return;
                }
                int done = 0;
                try {
                    long h = head;
                    Packet p;
                    while ((p = slots[(int) (h & mask)]).state == Packet.DONE) {
                        try {
                            if (p.result != -2) {
                                complete(p);
                            }
                        } catch (RuntimeException e) {
                            owner.device.internalError(e);
                        }
                        p.clear();
                        h++;
                        head = h;
                        p.state = Packet.FREE;
                        done++;
                    }
                    if (done > 0) {
                        afterBatch();
                        Thread w = waitingProducer;
                        if (w != null) {
                            LockSupport.unpark(w);
                        }
                    }
                } finally {
                    completing.set(false);
                }
                // a slot finished while we held the flag may have found it taken: look again
                if (slots[(int) (head & mask)].state != Packet.DONE) {
                    return;
                }
            }
        }

        /** Releases the sessions of slots that were published but never processed (device closing). */
        void abandon() {
            for (Packet p : slots) {
                if (p.state == Packet.FILLED && p.session != null) {
                    p.session.release();
                }
                p.clear();
            }
        }

        abstract void process(Packet p, ChaChaPoly aead);

        abstract void complete(Packet p);

        void afterBatch() {
        }
    }

    final Device device;
    final Ring outbound;
    final Ring inbound;
    /** Decrypted packets forwarded to another peer: produced by the inbound ring's completer. */
    final Ring forward;
    private final Thread[] threads;
    /** Which workers are parked; guarded by itself. {@link #parkedCount} lets producers skip the lock. */
    private final boolean[] parked;
    private volatile int parkedCount;
    private volatile boolean stopping;

    /** A ring whose packets are sealed and sent, flushing the bind after each batch: TUN packets and forwarded ones. */
    private static final class SealRing extends Ring {
        private final Send send;
        private final Device device;

        SealRing(CryptoWorkers workers, int slots, int bufferSize, Device device) {
            super(workers, slots, bufferSize);
            this.send = device.send;
            this.device = device;
        }

        @Override
        void process(Packet p, ChaChaPoly aead) {
            send.seal(p, aead);
        }

        @Override
        void complete(Packet p) {
            send.transmit(p);
        }

        @Override
        void afterBatch() {
            device.bind.flush();
        }
    }

    CryptoWorkers(Device device, int count) {
        this.device = device;
        Receive receive = device.receive;
        this.outbound = new SealRing(this, OUTBOUND_SLOTS, Send.BUFFER_SIZE, device);
        this.inbound = new Ring(this, INBOUND_SLOTS, 0) {
            @Override
            void process(Packet p, ChaChaPoly aead) {
                Receive.open(p, aead);
            }

            @Override
            void complete(Packet p) {
                receive.finish(p);
            }
        };
        this.forward = new SealRing(this, FORWARD_SLOTS, 0, device);
        this.threads = new Thread[count];
        this.parked = new boolean[count];
        for (int i = 0; i < count; i++) {
            int id = i;
            threads[i] = Thread.ofPlatform().name(device.threadPrefix + "crypto-" + i).daemon(true)
                    .unstarted(() -> run(id));
        }
    }

    void start() {
        for (Thread t : threads) {
            t.start();
        }
    }

    private void run(int id) {
        ChaChaPoly aead = ChaChaPoly.get();
        while (!stopping) {
            boolean worked = outbound.runOne(aead) | inbound.runOne(aead) | forward.runOne(aead);
            if (worked) {
                continue;
            }
            // announce parking, then look once more, so a publish in between is not missed
            synchronized (parked) {
                if (!parked[id]) {
                    parked[id] = true;
                    parkedCount++;
                }
            }
            if (!stopping && !outbound.hasWork() && !inbound.hasWork() && !forward.hasWork()) {
                LockSupport.parkNanos(10_000_000L);
            }
            synchronized (parked) {
                if (parked[id]) {
                    parked[id] = false;
                    parkedCount--;
                }
            }
        }
    }

    /** Wakes one parked worker, if any. */
    void wakeOne() {
        if (parkedCount == 0) {
            return;
        }
        Thread t = null;
        synchronized (parked) {
            for (int i = 0; i < parked.length; i++) {
                if (parked[i]) {
                    parked[i] = false;
                    parkedCount--;
                    t = threads[i];
                    break;
                }
            }
        }
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /** Stops and joins the workers; the producers must have stopped first. */
    void stop(long joinMillis) {
        stopping = true;
        for (Thread t : threads) {
            LockSupport.unpark(t);
        }
        for (Thread t : threads) {
            if (t == Thread.currentThread()) {
                continue;
            }
            try {
                t.join(joinMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        outbound.abandon();
        inbound.abandon();
        forward.abandon();
    }
}
