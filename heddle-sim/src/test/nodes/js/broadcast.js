#!/usr/bin/env node
'use strict';
require('./gossip_set').serve('broadcast', 'message', 'messages');
