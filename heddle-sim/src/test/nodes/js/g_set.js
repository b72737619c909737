#!/usr/bin/env node
'use strict';
require('./gossip_set').serve('add', 'element', 'value');
