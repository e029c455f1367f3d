"""What chainrule leaves out of PyTorch's API, and what to use instead.

One table of reviewed rules serves two readers: ``tools/torch_compat.py`` sorts
PyTorch's public names into "out of scope" by these rules when it writes
``docs/torch-compat.md``, and the modules' ``__getattr__`` turn a missing name
into an AttributeError that names the nearest supported alternative.

A rule: a category, why, the hint, and regular expressions matched (``re.search``)
against a name; ``scopes`` limits it to some of PyTorch's modules ("torch",
"Tensor", "nn", "functional", "optim", "lr_scheduler", "data", "autograd").
"""
from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    category: str
    hint: str
    patterns: tuple[str, ...]
    scopes: tuple[str, ...] = ()  # empty: every module

    def matches(self, scope: str, name: str) -> bool:
        return (not self.scopes or scope in self.scopes) and any(
            re.search(p, name) for p in self.patterns)


_NO_CONV = "chainrule has no convolutions; flatten images (nn.Flatten) and use nn.Linear"
RULES: tuple[Rule, ...] = (
    Rule("convolution, pooling, images", _NO_CONV,
         (r"(?i)conv", r"(?i)pool", r"^(fold|unfold|Fold|Unfold|im2col|col2im)$",
          r"(?i)pixel_?(un)?shuffle", r"(?i)channel_?shuffle", r"(?i)upsampl", r"^interpolate$",
          r"(?i)grid_sample", r"affine_grid", r"(?i)(Zero|Reflection|Replication|Constant|Circular)"
          r"Pad\dd", r"(?i)local_?response_?norm", r"(?i)instance_?norm", r"BatchNorm[23]d",
          r"^(Lazy)", r"(?i)dropout[123]d$", r"(?i)^(feature_)?alpha_?dropout", r"GRID_SAMPLE",
          r"^SyncBatchNorm$", r"^(ChannelShuffle|CrossMapLRN2d|NLLLoss2d|Softmax2d|"
          r"constant_pad_nd)$")),
    Rule("recurrent, attention and transformer layers",
         "not yet (embeddings and attention are on the roadmap); use nn.Embedding + nn.Linear",
         (r"(?i)^(rnn|lstm|gru)", r"(?i)(RNN|LSTM|GRU)(Cell)?(Base)?$", r"(?i)transformer",
          r"(?i)attention", r"multi_head", r"(?i)ctc_?loss", r"^(Bilinear|bilinear)$")),
    Rule("sparse tensors", "chainrule tensors are dense NumPy arrays",
         (r"(?i)sparse", r"(?i)(^|_)(coo|csr|csc|bsr|bsc)($|_)", r"coalesce", r"^(indices|values|"
          r"crow_indices|col_indices|row_indices|ccol_indices|dense_dim|to_dense|smm|sspaddmm|"
          r"hspmm|saddmm|spmm|_nnz)$", r"(?i)embedding_?bag", r"^(nested|jagged|masked)$",
          r"segment_reduce")),
    Rule("quantization", "chainrule computes in float; no quantized tensors",
         (r"(?i)quant", r"^q_", r"qscheme", r"int_repr", r"^per_(tensor|channel)", r"(?i)qint",
          r"(?i)quint", r"fbgemm", r"^ao$", r"^(intrinsic|qat|quantizable|quantized)$",
          r"(?i)^(Q|q)(Int|UInt)")),
    Rule("distributed, multiprocessing and parallel", "chainrule trains in one process "
         "(DataLoader num_workers=0); data-parallel training over MPI is on the roadmap",
         (r"(?i)distributed", r"^(rpc|parallel|multiprocessing|DataParallel)$", r"share_memory",
          r"is_shared", r"^get_worker_info$", r"(?i)^(RRef|Future)", r"^futures$",
          r"prepare_multiprocessing", r"(?i)^(ShardingFilter|Shard)")),
    Rule("GPUs, accelerators, streams and memory layout", "chainrule runs on the CPU with NumPy "
         "(chainrule.cuda.is_available() is False; a CuPy backend is planned)",
         (r"(?i)cuda", r"(?i)(^|_)(mps|xpu|hip|mtia|hpu|ipu|xla|vulkan|mkldnn|miopen|cudnn|mkl|"
          r"openmp|lapack|spectral)($|_)", r"(?i)pin_?memory", r"is_pinned",
          r"(?i)^(Stream|Event|stream|accelerator|amp|autocast|GradScaler)$", r"OutOfMemoryError",
          r"AcceleratorError", r"^get_device_module$", r"^is_meta$", r"(?i)^meta$",
          r"^(get_num_interop_threads|set_num_interop_threads)$")),
    Rule("storage, strides and memory layout", "chainrule tensors are NumPy arrays: t.numpy() "
         "shows their memory (strides, nbytes); t.contiguous() is provided",
         (r"(?i)storage", r"data_ptr", r"(?i)dlpack", r"memory_format",
          r"(channels_last|contiguous_format|preserve_format)", r"^(strided|layout)$",
          r"^(nbytes|itemsize|storage_offset|stride|is_set_to|set_|record_stream|device_of|"
          r"module_load|resize_|resize_as_|is_nonoverlapping_and_dense)$", r"^ipc_")),
    Rule("complex numbers", "chainrule tensors are real (float16/32/64, ints, bool)",
         (r"(?i)complex", r"^(conj|real|imag|angle|polar|chalf|cfloat|cdouble|adjoint|mH|H|sgn|"
          r"conj_physical|conj_physical_|is_conj|is_neg|resolve_conj|resolve_neg|isreal)$",
          r"view_as_(real|complex)")),
    Rule("FFT, signal processing and windows", "not provided; use NumPy on t.numpy() (np.fft)",
         (r"^(fft|signal|stft|istft|windows)$", r"_window$")),
    Rule("linear algebra beyond products", "use NumPy on t.numpy() (np.linalg) or "
         "chainrule.linear_model for least squares",
         (r"^(linalg|svd|svd_lowrank|pca_lowrank|qr|cholesky\w*|eig|symeig|lstsq|det|logdet|"
          r"slogdet|inverse|pinverse|lu|lu_\w+|solve|triangular_solve|matrix_exp|matrix_power|"
          r"matrix_rank|ormqr|geqrf|orgqr|householder_product|lobpcg|linalg_\w+|chain_matmul|"
          r"cholesky_inverse|cholesky_solve|nuclear_norm|frobenius_norm)$",)),
    Rule("special functions and distributions", "not provided; use SciPy on t.numpy()",
         (r"^(special|distributions|quasirandom|polygamma|mvlgamma|igamma|igammac|i0|i0_|"
          r"digamma|lgamma|erfinv|erfinv_|polygamma_|digamma_|lgamma_|mvlgamma_|igamma_|"
          r"igammac_|poisson|binomial|_standard_gamma|log_normal_|cauchy_|geometric_|"
          r"exponential_|random_|logit|logit_)$",)),
    Rule("compilers, JIT, export, dispatch and internals", "not needed on NumPy (chainrule."
         "compile captures a training step)",
         (r"^(jit|fx|export|onnx|package|hub|library|ops|classes|overrides|testing|compiler|func|"
          r"functional|utils|profiler|monitor|return_types|version|torch_version|serialization|"
          r"random|storage|types|cpp|while_loop|cond|vmap|Tag|Use|Value|Node|Block|Graph|Code|"
          r"Type|Capsule|Argument|Gradient|DispatchKey|DispatchKeySet|FileCheck|ErrorReport|"
          r"CallStack|AliasDb|Future|FunctionSchema|LockingLogger|NoopLogger|LoggerBase|"
          r"PRIVATE_OPS|get_file_path|compiled_with_cxx11_abi|classproperty|TYPE_CHECKING|"
          r"USE_GLOBAL_DEPS|USE_RTLD_GLOBAL_WITH_LIBTORCH|AggregationType|AVG|SUM|"
          r"profiler_allow_\w+|BenchmarkConfig|BenchmarkExecutionStats|ThroughputBenchmark|"
          r"ExecutionPlan|GraphExecutorState|StaticModule|TracingState|IODescriptor|"
          r"DeepCopyMemoTable|CompilationUnit|ConcreteModuleType\w*|PyTorchFile\w+|"
          r"\w+StorageContext|ExcludeDispatchKeyGuard|DisableTorchFunction\w*|"
          r"ArgumentSpec|CompleteArgumentSpec|OperatorInfo|InferredType|FatalError|"
          r"JITException|BufferDict|ScriptModuleSerializer|LiteScriptModule)$",
          r"^Script", r"^(Sym|sym_)", r"Type$", r"(?i)torch_function", r"torch_dispatch",
          r"_copy$", r"^batch_norm_\w+", r"^(ModuleDict|ParameterDict|cpu|dsmm|hsmm|"
          r"embedding_renorm_|feature_dropout_?|from_file|frombuffer|hash_tensor|histogramdd|"
          r"empty_permuted|choose_qparams_optimized|grad_dtype|is_maia|nonzero_static|output_nr|"
          r"reinforce|resize|resize_as|Buffer|Container|UninitializedBuffer|"
          r"UninitializedParameter|LinearCrossEntropyLoss|LinearCrossEntropyOptions|swa_utils|"
          r"swap_in_optimizer_params_and_state|ProfilerConfig|ProfilerEvent|"
          r"is_view_replay_enabled|AdaptiveLogSoftmaxWithLoss|Muon|Adafactor|slice_inverse|"
          r"thread_safe_generator|norm_except_dim|set_anomaly_enabled|bit|volatile|index|"
          r"split_with_sizes|scalar_tensor|rsub)$", r"^native_", r"^unsafe_",
          r"^(as_subclass|is_inference|is_inference_mode_enabled_|apply_|map_|map2_|new|"
          r"dim_order|is_nested|to_padded_tensor|module_load|_?version)$",
          r"^(set_vital|vitals_enabled|read_vitals|is_anomaly_\w+|can_cast|promote_types|"
          r"result_type|unify_type_list|fork|wait|get_autocast\w*|set_autocast\w*|"
          r"is_autocast\w*|clear_autocast_cache|autocast_\w+|import_ir_module\w*|"
          r"merge_type_from_type_comment|parse_ir|parse_schema|parse_type_comment|"
          r"init_num_threads|get_deterministic_debug_mode|set_deterministic_debug_mode|"
          r"is_deterministic_algorithms_warn_only_enabled|set_float32_matmul_precision|"
          r"get_float32_matmul_precision|set_flush_denormal|set_warn_always|"
          r"is_warn_always_enabled|is_storage|set_default_tensor_type|is_tensor_like|"
          r"get_default_generator|register_package|lazy|execution_plan|"
          r"common_types|factory_kwargs|modules|parameter|grad|handle_torch_function|"
          r"boolean_dispatch|assert_int_or_pair|BroadcastingList\d|reproducibility_notes|"
          r"sparse_support_notes|tf32_notes|DType|ScalingType|SwizzleType|Callable|Optional|"
          r"TYPE_CHECKING|has_torch_function\w*|grouped_mm|scaled_grouped_mm|scaled_mm|"
          r"linear_cross_entropy|dataclasses|math|np|torch|warnings|importlib)$",)),
    Rule("higher-order and forward-mode autograd", "not yet (higher-order gradients are on the "
         "roadmap); chainrule.autograd.grad gives first derivatives",
         (r"^(gradgradcheck|forward_ad|functional|make_dual|unpack_dual|NestedIOFunction|"
          r"enforce_grad_layout_policy|set_multithreading_enabled|graph|grad_mode|anomaly_mode|"
          r"function|variable|profiler_util|profiler_legacy|forward_grad|_fw_primal|fw_primal|"
          r"is_multithreading_enabled|detect_anomaly_\w+|DeviceType|kineto_available|"
          r"emit_nvtx|emit_itt|record_function|ProfilerActivity|ProfilerState|"
          r"SavedTensor|graph_hooks|register_post_accumulate_grad_hook|retains_grad_hooks)$",),
         ("autograd", "Tensor")),
    Rule("datapipes (deprecated in PyTorch)", "use Dataset / IterableDataset with DataLoader",
         (r"(?i)datapipe", r"^(DataChunk|functional_datapipe|guaranteed_datapipes_determinism|"
          r"non_deterministic|runtime_validation|runtime_validation_disabled|argument_validation|"
          r"communication|graph|graph_settings|datapipes|backward_compatibility|dataset|"
          r"dataloader|sampler|distributed)$"),
         ("data",)),
    Rule("dtypes NumPy lacks", "chainrule's dtypes are NumPy's: float16/32/64, int8-64, "
         "uint8-64, bool",
         (r"(?i)bfloat16", r"(?i)float8", r"(?i)float4", r"^(bits\w+|uint[1-7]|int[1-7]|"
          r"cfloat|cdouble|chalf|complex32|complex64|complex128|bfloat16_|"
          r"e4m3|e5m2)$", r"(?i)^(B|C)\w*Tensor$")),
    Rule("legacy typed tensors and Variable (deprecated)", "use chainrule.tensor(data, dtype=..., "
         "requires_grad=...)",
         (r"^(Float|Double|Half|Long|Int|Short|Char|Byte|Bool)Tensor$", r"^(Variable|set_)$",
          r"^(new_tensor|new_empty_strided|empty_strided|as_strided|as_strided_|as_strided_scatter|"
          r"type_conversion)$")),
)

# Names that deserve a sharper hint than their category's
NAME_HINTS: dict[str, str] = {
    "Conv1d": _NO_CONV, "Conv2d": _NO_CONV, "MaxPool2d": _NO_CONV, "conv2d": _NO_CONV,
    "BatchNorm2d": "chainrule has no convolutions; flatten images and use nn.BatchNorm1d",
    "Dropout2d": "chainrule has no convolutions; use nn.Dropout on flattened features",
    "LSTM": "not yet: embeddings and attention come first on the roadmap; use nn.Linear layers",
    "Variable": "Variable is deprecated in PyTorch too: use chainrule.tensor(data, "
                "requires_grad=True)",
    "FloatTensor": "use chainrule.tensor(data, dtype=chainrule.float32)",
    "LongTensor": "use chainrule.tensor(data, dtype=chainrule.int64)",
    "linalg": "use NumPy on t.numpy() (np.linalg), or chainrule.linear_model for least squares",
    "distributions": "sample with chainrule.normal / rand / multinomial; for densities use SciPy",
}


def rule_for(scope: str, name: str) -> Rule | None:
    """The first rule that puts ``name`` (in PyTorch's module ``scope``) out of scope."""
    for r in RULES:
        if r.matches(scope, name):
            return r
    return None


def missing(module: str, scope: str, name: str) -> AttributeError:
    """The AttributeError for ``module.name``, with a hint when PyTorch has the name."""
    msg = f"module {module!r} has no attribute {name!r}"
    if name.startswith("__"):
        return AttributeError(msg)
    hint = NAME_HINTS.get(name)
    if hint is None:
        r = rule_for(scope, name)
        hint = r.hint if r is not None else None
    return AttributeError(msg if hint is None else f"{msg}: {hint}")
