import { runMain } from '@inviteflow/platform';
import { ingestConfig } from './config';
import { start } from './start';

void runMain({ service: 'ingest', schema: ingestConfig, start });
