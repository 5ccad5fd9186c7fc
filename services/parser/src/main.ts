import { runMain } from '@inviteflow/platform';
import { parserConfig } from './config';
import { start } from './start';

void runMain({ service: 'parser', schema: parserConfig, start });
