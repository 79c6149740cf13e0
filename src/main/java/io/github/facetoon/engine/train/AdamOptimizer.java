package io.github.facetoon.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import io.github.facetoon.engine.NoGrad;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Adam (Kingma & Ba, 2015) over a fixed list of parameters, with state that can be saved and restored exactly.
 *
 * <p>DJL's own Adam keeps its moments private, so a checkpoint could not hold them and a resumed run would
 * restart the moment estimates. This one keeps the first and second moments and the step count for each
 * parameter and writes them with the checkpoint, so that resuming continues bit for bit.
 *
 * <pre>
 *   m = β1·m + (1−β1)·g,   v = β2·v + (1−β2)·g²,   t = t + 1
 *   w = w − lr · (m / (1−β1^t)) / (sqrt(v / (1−β2^t)) + ε)
 * </pre>
 */
public final class AdamOptimizer implements AutoCloseable {

    private final List<Parameter> params;
    private final NDManager manager;
    private final NDArray[] m;
    private final NDArray[] v;
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private volatile double learningRate;
    private long step;

    /**
     * Creates the optimizer; moments start at zero.
     *
     * @param params the parameters it updates (their arrays must be initialised)
     * @param manager where the moments live (same device as the parameters)
     * @param learningRate step size
     * @param beta1 first-moment decay
     * @param beta2 second-moment decay
     */
    public AdamOptimizer(List<Parameter> params, NDManager manager, double learningRate, double beta1, double beta2) {
        this.params = List.copyOf(params);
        this.manager = manager.newSubManager();
        this.learningRate = learningRate;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = 1e-8;
        this.m = new NDArray[params.size()];
        this.v = new NDArray[params.size()];
        for (int i = 0; i < params.size(); i++) {
            Shape shape = params.get(i).getArray().getShape();
            m[i] = this.manager.zeros(shape, DataType.FLOAT32);
            v[i] = this.manager.zeros(shape, DataType.FLOAT32);
            NDScope.unregister(m[i], v[i]);
        }
    }

    /** Applies one update from the parameters' current gradients, then zeroes those gradients. */
    public void step() {
        step++;
        double bc1 = 1 - Math.pow(beta1, step);
        double bc2 = 1 - Math.pow(beta2, step);
        float stepSize = (float) (learningRate / bc1);
        float sqrtBc2 = (float) Math.sqrt(bc2);
        // The scope closes every temporary (and the gradient handles) whatever manager it landed on; in-place
        // updates of parameters must not be recorded by autograd.
        try (NoGrad ng = NoGrad.enter(); NDScope scope = new NDScope()) {
            for (int i = 0; i < params.size(); i++) {
                NDArray w = params.get(i).getArray();
                NDArray g = w.getGradient();
                m[i].muli((float) beta1).addi(g.mul((float) (1 - beta1)));
                v[i].muli((float) beta2).addi(g.square().muli((float) (1 - beta2)));
                // denominator: sqrt(v)/sqrt(1-β2^t) + ε
                NDArray denom = v[i].sqrt().divi(sqrtBc2).addi((float) epsilon);
                w.subi(m[i].div(denom).muli(stepSize));
                zero(g);
            }
        }
    }

    /**
     * Starts the moments afresh (zero, step 0), keeping the learning rate: what restoring a state without moments
     * (a compact state) means, also when a roll-back lands on one after a numeric blow-up left the moments NaN.
     */
    public void reset() {
        try (NoGrad ng = NoGrad.enter()) {
            for (int i = 0; i < params.size(); i++) {
                zero(m[i]);
                zero(v[i]);
            }
        }
        step = 0;
    }

    /** Zeroes the gradients of the parameters (before a backward pass that must not accumulate). */
    public void zeroGradients() {
        NetworkParameters.zeroGradients(params);
    }

    private static void zero(NDArray g) {
        g.set(NetworkParameters.ALL, 0f);
    }

    /** The current learning rate. */
    public double learningRate() {
        return learningRate;
    }

    /**
     * Changes the learning rate from the next step on.
     *
     * @param lr the new rate
     */
    public void setLearningRate(double lr) {
        this.learningRate = lr;
    }

    /** The number of updates applied so far. */
    public long stepCount() {
        return step;
    }

    /**
     * Writes the step count, learning rate and both moments of every parameter.
     *
     * @param out the stream
     * @throws IOException on a write error
     */
    public void save(DataOutputStream out) throws IOException {
        out.writeInt(params.size());
        out.writeLong(step);
        out.writeDouble(learningRate);
        for (int i = 0; i < params.size(); i++) {
            writeArray(out, m[i]);
            writeArray(out, v[i]);
        }
    }

    /**
     * Restores what {@link #save} wrote.
     *
     * @param in the stream
     * @throws IOException when the state does not match these parameters
     */
    public void load(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n != params.size()) {
            throw new IOException("optimizer state is for " + n + " parameters, this network has " + params.size());
        }
        long s = in.readLong();
        double lr = in.readDouble();
        List<float[]> ms = new ArrayList<>();
        List<float[]> vs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ms.add(readArray(in, m[i].getShape()));
            vs.add(readArray(in, v[i].getShape()));
        }
        for (int i = 0; i < n; i++) {
            m[i].set(ms.get(i));
            v[i].set(vs.get(i));
        }
        step = s;
        learningRate = lr;
    }

    private static void writeArray(DataOutputStream out, NDArray a) throws IOException {
        float[] f = a.toFloatArray();
        out.writeInt(f.length);
        byte[] b = new byte[f.length * 4];
        java.nio.ByteBuffer.wrap(b).asFloatBuffer().put(f);
        out.write(b);
    }

    private static float[] readArray(DataInputStream in, Shape shape) throws IOException {
        int len = in.readInt();
        if (len != shape.size()) {
            throw new IOException("optimizer state has " + len + " values where " + shape + " needs " + shape.size());
        }
        byte[] b = new byte[len * 4];
        in.readFully(b);
        float[] f = new float[len];
        java.nio.ByteBuffer.wrap(b).asFloatBuffer().get(f);
        return f;
    }

    @Override
    public void close() {
        manager.close();
    }
}
