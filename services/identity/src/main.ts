import { runMain } from '@inviteflow/platform';
import { identityConfig } from './config';
import { start } from './start';

void runMain({ service: 'identity', schema: identityConfig, start });
