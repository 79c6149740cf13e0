package io.github.facetoon.engine.perception;

import io.github.facetoon.engine.Tensors;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * One dense block of face-api's feature extractor: a stride-2 convolution, then three depthwise-separable
 * convolutions, each fed the ReLU of the sum of all earlier outputs.
 *
 * <pre>
 * o1 = relu(c0(x));  o2 = c1(o1);  o3 = c2(relu(o1 + o2));  o4 = c3(relu(o1 + o2 + o3))
 * y  = relu(o1 + o2 + o3 + o4)
 * </pre>
 */
final class FaceDenseBlock extends AbstractBlock {

    private final int channelsOut;
    private final TfConvBlock conv0;
    private final TfConvBlock conv1;
    private final TfConvBlock conv2;
    private final TfConvBlock conv3;

    /**
     * Creates a block.
     *
     * @param channelsIn input channels
     * @param channelsOut output channels
     * @param firstLayer true for the first block, whose first convolution is a full one
     */
    FaceDenseBlock(int channelsIn, int channelsOut, boolean firstLayer) {
        this.channelsOut = channelsOut;
        conv0 = addChildBlock("conv0", firstLayer
                ? TfConvBlock.full(channelsIn, channelsOut, 2)
                : TfConvBlock.separable(channelsIn, channelsOut, 2));
        conv1 = addChildBlock("conv1", TfConvBlock.separable(channelsOut, channelsOut, 1));
        conv2 = addChildBlock("conv2", TfConvBlock.separable(channelsOut, channelsOut, 1));
        conv3 = addChildBlock("conv3", TfConvBlock.separable(channelsOut, channelsOut, 1));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        // (N,Cin,H,W) -> (N,Cout,H/2,W/2)
        NDArray out1 = relu(conv0.forward(ps, inputs, training).singletonOrThrow());
        NDArray out2 = apply(ps, conv1, out1, training);
        NDArray sum12 = out1.add(out2);
        NDArray out3 = apply(ps, conv2, relu(sum12), training);
        NDArray sum123 = sum12.add(out3);
        NDArray out4 = apply(ps, conv3, relu(sum123), training);
        return new NDList(relu(sum123.add(out4)));
    }

    private static NDArray apply(ParameterStore ps, TfConvBlock conv, NDArray x, boolean training) {
        return conv.forward(ps, new NDList(x), training).singletonOrThrow();
    }

    private static NDArray relu(NDArray x) {
        return x.getNDArrayInternal().relu();
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return conv0.getOutputShapes(inputs);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        conv0.initialize(manager, dataType, inputShapes);
        Shape inner = conv0.getOutputShapes(inputShapes)[0];
        conv1.initialize(manager, dataType, inner);
        conv2.initialize(manager, dataType, inner);
        conv3.initialize(manager, dataType, inner);
    }

    /**
     * Copies the block's tfjs weights.
     *
     * @param weights the tfjs weights
     * @param prefix e.g. "dense2"
     * @param manager scratch manager for the conversion
     */
    void load(TfjsWeights weights, String prefix, NDManager manager) {
        conv0.load(weights, prefix + "/conv0", manager);
        conv1.load(weights, prefix + "/conv1", manager);
        conv2.load(weights, prefix + "/conv2", manager);
        conv3.load(weights, prefix + "/conv3", manager);
    }

    int channelsOut() {
        return channelsOut;
    }
}
