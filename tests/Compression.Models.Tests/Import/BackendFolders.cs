namespace Compression.Models.Tests.Import;

/// <summary>
/// The backend node tests the importer runs, by op, several per op where the variants matter (pads,
/// ceil_mode, auto_pad, broadcasting, negative axes, opset forms). Left out: integer-only variants
/// (uint8 pooling, int8 Clip), the *_expanded tests (they test other ops' decompositions), training-mode
/// BatchNormalization and MaxPool with indices (unsupported variants), casts to types other than float/double.
/// </summary>
internal static class BackendFolders
{
    public static readonly string[] All =
    [
        // Split
        "test_split_equal_parts_1d", "test_split_equal_parts_2d", "test_split_equal_parts_default_axis",
        "test_split_variable_parts_1d", "test_split_variable_parts_2d", "test_split_variable_parts_default_axis",
        // QuantizeLinear, DequantizeLinear (per tensor and per axis)
        "test_quantizelinear", "test_quantizelinear_axis", "test_dequantizelinear", "test_dequantizelinear_axis",
        // Conv
        "test_basic_conv_with_padding", "test_basic_conv_without_padding", "test_conv_with_autopad_same",
        "test_conv_with_strides_and_asymmetric_padding", "test_conv_with_strides_no_padding", "test_conv_with_strides_padding",
        // BatchNormalization, LayerNormalization
        "test_batchnorm_epsilon", "test_batchnorm_example",
        "test_layer_normalization_2d_axis0", "test_layer_normalization_2d_axis1", "test_layer_normalization_2d_axis_negative_1",
        "test_layer_normalization_2d_axis_negative_2", "test_layer_normalization_3d_axis0_epsilon", "test_layer_normalization_3d_axis1_epsilon",
        "test_layer_normalization_3d_axis2_epsilon", "test_layer_normalization_3d_axis_negative_1_epsilon",
        "test_layer_normalization_3d_axis_negative_2_epsilon", "test_layer_normalization_3d_axis_negative_3_epsilon",
        "test_layer_normalization_4d_axis0", "test_layer_normalization_4d_axis1", "test_layer_normalization_4d_axis2",
        "test_layer_normalization_4d_axis3", "test_layer_normalization_4d_axis_negative_1", "test_layer_normalization_4d_axis_negative_2",
        "test_layer_normalization_4d_axis_negative_3", "test_layer_normalization_4d_axis_negative_4", "test_layer_normalization_default_axis",
        // Activations
        "test_relu", "test_sigmoid", "test_sigmoid_example", "test_tanh", "test_tanh_example", "test_erf",
        "test_hardsigmoid", "test_hardsigmoid_default", "test_hardsigmoid_example", "test_hardswish",
        "test_clip", "test_clip_default_inbounds", "test_clip_default_max", "test_clip_default_min", "test_clip_example",
        "test_clip_inbounds", "test_clip_outbounds", "test_clip_splitbounds",
        "test_softmax_axis_0", "test_softmax_axis_1", "test_softmax_axis_2", "test_softmax_default_axis", "test_softmax_example",
        "test_softmax_large_number", "test_softmax_negative_axis",
        // Element-wise arithmetic
        "test_add", "test_add_bcast", "test_add_uint8", "test_sub", "test_sub_bcast", "test_sub_example",
        "test_mul", "test_mul_bcast", "test_mul_example", "test_div", "test_div_bcast", "test_div_example", "test_div_uint8",
        "test_pow", "test_pow_bcast_array", "test_pow_bcast_scalar", "test_pow_example", "test_pow_types_float32_int64",
        "test_pow_types_float32_int32", "test_pow_types_int64_float32", "test_pow_types_int64_int64",
        "test_sqrt", "test_sqrt_example",
        // Pooling
        "test_maxpool_1d_default", "test_maxpool_2d_ceil", "test_maxpool_2d_default", "test_maxpool_2d_dilations", "test_maxpool_2d_pads",
        "test_maxpool_2d_precomputed_pads", "test_maxpool_2d_precomputed_same_upper", "test_maxpool_2d_precomputed_strides",
        "test_maxpool_2d_same_lower", "test_maxpool_2d_same_upper", "test_maxpool_2d_strides", "test_maxpool_3d_default",
        "test_averagepool_1d_default", "test_averagepool_2d_ceil", "test_averagepool_2d_default", "test_averagepool_2d_pads",
        "test_averagepool_2d_pads_count_include_pad", "test_averagepool_2d_precomputed_pads",
        "test_averagepool_2d_precomputed_pads_count_include_pad", "test_averagepool_2d_precomputed_same_upper",
        "test_averagepool_2d_precomputed_strides", "test_averagepool_2d_same_lower", "test_averagepool_2d_same_upper",
        "test_averagepool_2d_strides", "test_averagepool_3d_default",
        "test_globalaveragepool", "test_globalaveragepool_precomputed",
        // Matrix products
        "test_gemm_all_attributes", "test_gemm_alpha", "test_gemm_beta", "test_gemm_default_matrix_bias", "test_gemm_default_no_bias",
        "test_gemm_default_scalar_bias", "test_gemm_default_single_elem_vector_bias", "test_gemm_default_vector_bias",
        "test_gemm_default_zero_bias", "test_gemm_transposeA", "test_gemm_transposeB",
        "test_matmul_2d", "test_matmul_3d", "test_matmul_4d",
        // Shapes
        "test_flatten_axis0", "test_flatten_axis1", "test_flatten_axis2", "test_flatten_axis3", "test_flatten_default_axis",
        "test_flatten_negative_axis1", "test_flatten_negative_axis2", "test_flatten_negative_axis3", "test_flatten_negative_axis4",
        "test_reshape_allowzero_reordered", "test_reshape_extended_dims", "test_reshape_negative_dim", "test_reshape_negative_extended_dims",
        "test_reshape_one_dim", "test_reshape_reduced_dims", "test_reshape_reordered_all_dims", "test_reshape_reordered_last_dims",
        "test_reshape_zero_and_negative_dim", "test_reshape_zero_dim",
        "test_transpose_default", "test_transpose_all_permutations_0", "test_transpose_all_permutations_1", "test_transpose_all_permutations_2",
        "test_transpose_all_permutations_3", "test_transpose_all_permutations_4", "test_transpose_all_permutations_5",
        "test_concat_1d_axis_0", "test_concat_1d_axis_negative_1", "test_concat_2d_axis_0", "test_concat_2d_axis_1",
        "test_concat_2d_axis_negative_1", "test_concat_2d_axis_negative_2", "test_concat_3d_axis_0", "test_concat_3d_axis_1",
        "test_concat_3d_axis_2", "test_concat_3d_axis_negative_1", "test_concat_3d_axis_negative_2", "test_concat_3d_axis_negative_3",
        "test_unsqueeze_axis_0", "test_unsqueeze_axis_1", "test_unsqueeze_axis_2", "test_unsqueeze_axis_3", "test_unsqueeze_negative_axes",
        "test_unsqueeze_three_axes", "test_unsqueeze_two_axes", "test_unsqueeze_unsorted_axes",
        "test_squeeze", "test_squeeze_negative_axes",
        "test_shape", "test_shape_clip_end", "test_shape_clip_start", "test_shape_end_1", "test_shape_end_negative_1", "test_shape_example",
        "test_shape_start_1", "test_shape_start_1_end_2", "test_shape_start_1_end_negative_1", "test_shape_start_negative_1",
        // Indexing
        "test_slice", "test_slice_default_axes", "test_slice_default_steps", "test_slice_end_out_of_bounds", "test_slice_neg",
        "test_slice_neg_steps", "test_slice_negative_axes", "test_slice_start_out_of_bounds",
        "test_gather_0", "test_gather_1", "test_gather_2d_indices", "test_gather_negative_indices",
        // Reductions
        "test_reduce_mean_default_axes_keepdims_example", "test_reduce_mean_default_axes_keepdims_random",
        "test_reduce_mean_do_not_keepdims_example", "test_reduce_mean_do_not_keepdims_random", "test_reduce_mean_keepdims_example",
        "test_reduce_mean_keepdims_random", "test_reduce_mean_negative_axes_keepdims_example", "test_reduce_mean_negative_axes_keepdims_random",
        // Values
        "test_constant", "test_cast_FLOAT_to_DOUBLE", "test_cast_DOUBLE_to_FLOAT", "test_identity",
        "test_dropout_default", "test_dropout_default_mask", "test_dropout_default_mask_ratio", "test_dropout_default_old",
        "test_dropout_default_ratio", "test_dropout_random_old",
    ];
}
