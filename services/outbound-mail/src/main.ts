import { runMain } from '@inviteflow/platform';
import { outboundConfig } from './config';
import { start } from './start';

void runMain({ service: 'outbound-mail', schema: outboundConfig, start });
