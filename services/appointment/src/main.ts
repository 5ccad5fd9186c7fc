import { runMain } from '@inviteflow/platform';
import { appointmentConfig } from './config';
import { start } from './start';

void runMain({ service: 'appointment', schema: appointmentConfig, start });
