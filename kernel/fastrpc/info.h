/* SPDX-License-Identifier: GPL-2.0 */
/*
 * GET_DSP_INFO: a domain's capabilities, fetched from the DSP once per
 * channel and answered from that cache afterwards.
 */
#ifndef FASTRPC_INFO_H
#define FASTRPC_INFO_H

struct fastrpc_call;

int fastrpc_ioctl_get_dsp_info(struct fastrpc_call *call);

#endif /* FASTRPC_INFO_H */
