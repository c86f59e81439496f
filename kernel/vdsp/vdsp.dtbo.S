#include <asm-generic/vmlinux.lds.h>
.section .rodata,"a"
.balign STRUCT_ALIGNMENT
.global __dtbo_vdsp_begin
__dtbo_vdsp_begin:
.incbin "/work/main/kernel/vdsp/vdsp.dtbo" 
.global __dtbo_vdsp_end
__dtbo_vdsp_end:
.balign STRUCT_ALIGNMENT
